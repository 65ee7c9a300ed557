using ExchangeSimulator.Hosting;

namespace ExchangeSimulator.Control;

/// <summary>The markets a control API serves (the in-process server in tests, the hosted service in the program).</summary>
public interface ISimulatedExchanges
{
    IReadOnlyList<SimulatedExchange> Exchanges { get; }
}
