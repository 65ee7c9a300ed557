namespace BinanceRecordings;

/// <summary>One [price, quantity] pair of a depth update or snapshot; quantity is absolute, 0 removes the level.</summary>
/// <param name="Price">The level's price.</param>
/// <param name="Quantity">The level's total quantity.</param>
public readonly record struct PriceLevel(ExactNumber Price, ExactNumber Quantity);
