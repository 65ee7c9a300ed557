using Streaming.Contracts.Common.V1;

namespace Ingest.Pipeline;

/// <summary>
/// Aggregate trade ids <see cref="FromId"/>..<see cref="ToId"/> of <see cref="Symbol"/> that the streams did not deliver;
/// or, with <see cref="IsVerification"/>, a check after a reconnect of what came after the last id seen: trades lost
/// with the old connection show no jump until the symbol trades again, which for a quiet symbol may be long.
/// A verification never reports the ids the exchange did not return (the newest trade may simply be older than
/// the range) and skips rows traded before <see cref="MinTradeTimeMs"/> (history from before the pod listened).
/// With <see cref="SinceTimeMs"/>, <see cref="FromId"/> is resolved first: the first trade at or after that time
/// (a symbol's first trade seen after a restart: what traded while no pod of this instance listened).
/// With <see cref="FromFeedGap"/>, another service reported the ids missing (its feed gap): the symbol may belong to
/// another pod and the ids be far behind the stream, so the rows may fill this pod's own holes but never start or
/// advance its sequence. <see cref="Ticket"/>, when set, is marked once the request is served.
/// </summary>
internal sealed record BackfillRequest(
    Market Market,
    string Symbol,
    long FromId,
    long ToId,
    long GapStartMs,
    long GapEndMs,
    string Reason,
    bool IsVerification = false,
    long MinTradeTimeMs = 0,
    long? SinceTimeMs = null,
    BackfillTicket? Ticket = null,
    bool FromFeedGap = false);
