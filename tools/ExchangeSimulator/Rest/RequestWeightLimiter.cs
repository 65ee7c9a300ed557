using System.Net;

namespace ExchangeSimulator.Rest;

/// <summary>What <see cref="RequestWeightLimiter.Admit"/> decided for one request.</summary>
internal enum AdmissionKind
{
    Allowed = 1,

    /// <summary>HTTP 429: the request would exceed the minute's budget.</summary>
    RateLimited = 2,

    /// <summary>HTTP 418: the IP is banned (this request started the ban, or it is still running).</summary>
    Banned = 3,
}

/// <param name="Kind">Allowed, or why not.</param>
/// <param name="UsedWeight">For <c>X-MBX-USED-WEIGHT-1M</c>: weight used in the current minute, this request included when allowed.</param>
/// <param name="RetryAfterSeconds">For <c>Retry-After</c> on 429/418: whole seconds, rounded up.</param>
/// <param name="BannedUntil">End of the ban when <see cref="Kind"/> is <see cref="AdmissionKind.Banned"/>.</param>
internal readonly record struct Admission(AdmissionKind Kind, int UsedWeight, long RetryAfterSeconds, DateTimeOffset BannedUntil);

/// <summary>
/// Binance's <c>REQUEST_WEIGHT</c> limit per client IP: fixed windows aligned to the clock's whole minutes
/// (the <c>1M</c> of <c>X-MBX-USED-WEIGHT-1M</c>), so the budget comes back entirely at the next minute.
/// Refused requests (429/418) add no weight. Repeated refusals inside one minute start a ban (418) whose
/// length doubles with each ban of the same IP, from <see cref="BinanceRestOptions.FirstBan"/> to
/// <see cref="BinanceRestOptions.MaxBan"/>; the ban count is kept for the limiter's lifetime. Thread-safe
/// (one lock over the per-IP table; each decision is a few arithmetic steps).
/// </summary>
internal sealed class RequestWeightLimiter(BinanceRestOptions options)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<IPAddress, ClientState> _clients = [];

    public Admission Admit(IPAddress client, int weight)
    {
        var now = options.TimeProvider.GetUtcNow();
        var minuteStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        lock (_lock)
        {
            if (!_clients.TryGetValue(client, out var state))
            {
                state = new ClientState();
                _clients.Add(client, state);
            }

            if (state.WindowStart != minuteStart)
            {
                state.WindowStart = minuteStart;
                state.UsedWeight = 0;
                state.Refused = 0;
            }

            if (now < state.BannedUntil)
            {
                return new Admission(AdmissionKind.Banned, state.UsedWeight, SecondsUntil(now, state.BannedUntil), state.BannedUntil);
            }

            if (state.UsedWeight + weight <= options.RequestWeightPerMinute)
            {
                state.UsedWeight += weight;
                return new Admission(AdmissionKind.Allowed, state.UsedWeight, 0, default);
            }

            state.Refused++;
            if (state.Refused <= options.RefusedRequestsBeforeBan)
            {
                return new Admission(AdmissionKind.RateLimited, state.UsedWeight, SecondsUntil(now, minuteStart.AddMinutes(1)), default);
            }

            var ban = BanLength(state.Bans);
            state.Bans++;
            state.Refused = 0;
            state.BannedUntil = now + ban;
            return new Admission(AdmissionKind.Banned, state.UsedWeight, SecondsUntil(now, state.BannedUntil), state.BannedUntil);
        }
    }

    /// <summary>Length of the ban after <paramref name="earlierBans"/> earlier ones: first × 2^earlier, capped.</summary>
    internal TimeSpan BanLength(int earlierBans)
    {
        var ticks = options.FirstBan.Ticks;
        for (var i = 0; i < earlierBans && ticks < options.MaxBan.Ticks; i++)
        {
            ticks *= 2;
        }

        return TimeSpan.FromTicks(Math.Min(ticks, options.MaxBan.Ticks));
    }

    private static long SecondsUntil(DateTimeOffset now, DateTimeOffset until) =>
        Math.Max(1, (long)Math.Ceiling((until - now).TotalSeconds));

    private sealed class ClientState
    {
        public DateTimeOffset WindowStart { get; set; }

        public int UsedWeight { get; set; }

        /// <summary>Requests refused for weight in the current minute.</summary>
        public int Refused { get; set; }

        public int Bans { get; set; }

        public DateTimeOffset BannedUntil { get; set; }
    }
}
