using Xunit.Sdk;

namespace TakerVolume.Tests.Logic;

/// <summary>Runs a property check once per fixed seed 0..count-1 and names the failing seed.</summary>
internal static class LogicSeeds
{
    public static void Check(int count, Action<int> check)
    {
        for (var seed = 0; seed < count; seed++)
        {
            try
            {
                check(seed);
            }
            catch (Exception exception) when (exception is XunitException or InvalidOperationException or OverflowException or ArgumentException)
            {
                throw new XunitException($"Seed {seed}: {exception.GetType().Name}: {exception.Message}", exception);
            }
        }
    }

    public static void Shuffle<T>(Random random, IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
