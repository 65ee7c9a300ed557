namespace ExchangeSimulator.Formats;

/// <summary>Unit of every time field printed: Binance's default, or Spot's opt-in <c>timeUnit=MICROSECOND</c>.</summary>
public enum BinanceTimeUnit
{
    Millisecond = 1,
    Microsecond = 2,
}
