using Xunit.Sdk;

namespace Streaming.Processing.Tests.Idempotence;

/// <summary>Runs a property check once per fixed seed 0..count-1 and names the failing seed.</summary>
internal static class Seeds
{
    public static void Check(int count, Action<int> check)
    {
        for (var seed = 0; seed < count; seed++)
        {
            try
            {
                check(seed);
            }
            catch (XunitException exception)
            {
                throw new XunitException($"Seed {seed}: {exception.Message}", exception);
            }
        }
    }
}
