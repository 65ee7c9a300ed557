using Streaming.Contracts.Common.V1;

namespace Streaming.Contracts.Market.V1;

/// <summary>The taker side, derived from <see cref="BuyerIsMaker"/> in one place (it is not a field: see agg_trade.proto).</summary>
public sealed partial class AggTrade
{
    /// <summary>
    /// <see cref="Side.TakerSell"/> when the buyer was the maker (m == true), otherwise
    /// <see cref="Side.TakerBuy"/>.
    /// </summary>
    public Side TakerSide => BuyerIsMaker ? Side.TakerSell : Side.TakerBuy;
}
