namespace ExchangeSimulator.Streams;

/// <summary>Who currently listens to which stream: one region's connections.</summary>
public interface IStreamAudience
{
    /// <summary>The subscribers of <paramref name="streamId"/> right now; an empty array when none. Never blocks.</summary>
    IStreamSubscriber[] SubscribersOf(int streamId);
}
