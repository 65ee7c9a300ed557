namespace ExchangeSimulator.Market;

/// <summary>An order-book level: the absolute quantity resting at a price; zero removes the level.</summary>
public readonly record struct PriceLevel(decimal Price, decimal Quantity);
