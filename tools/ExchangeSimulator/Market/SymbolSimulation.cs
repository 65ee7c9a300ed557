namespace ExchangeSimulator.Market;

/// <summary>
/// One symbol's market: a latent fair price (random walk pushed by taker flow), a book of resting
/// orders around it, and three Poisson processes (taker trades, order additions/cancellations, regime
/// switches) plus diff events published on period boundaries. Trades execute against the best level of
/// the book, so trades and depth agree. All randomness comes from the symbol's own generator.
/// </summary>
internal sealed class SymbolSimulation
{
    private const long NoEvent = long.MaxValue;
    private const int InitialLevelsPerSide = 20;

    private readonly SymbolSpec _spec;
    private readonly MarketFlavor _flavor;
    private readonly DeterministicRandom _random;
    private readonly OrderBook _book;
    private readonly double _meanTradeIntervalUs;
    private readonly double _meanBookChangeIntervalUs;
    private readonly double _medianTradeNotional;
    private readonly double _unitNotionalPerTick;
    private readonly long _levelGapTicks;
    private readonly double _fairSigmaTicks;
    private readonly int _maxLevelsPerSide;
    private readonly long _depthPeriodUs;
    private readonly long _maxEventLatencyUs;

    private long _fairTicks;
    private long _nextAggregateId;
    private long _nextTradeId;
    private long _lastTradeEventUs;
    private MarketRegime _regime = MarketRegime.Normal;
    private double _takerBuyProbability = 0.5;
    private long _nextTradeUs;
    private long _nextBookChangeUs;
    private long _nextRegimeUs;
    private long _nextDepthUs = NoEvent;

    public SymbolSimulation(SymbolSpec spec, MarketOptions options, double activityShare, long startUs)
    {
        _spec = spec;
        _flavor = options.Flavor;
        _random = new DeterministicRandom(options.Seed, spec.Rank);
        _maxLevelsPerSide = options.MaxLevelsPerSide;
        _depthPeriodUs = options.DepthUpdatePeriodMs * SimulatedTime.MicrosecondsPerMillisecond;
        _maxEventLatencyUs = _flavor == MarketFlavor.Spot ? 2_000 : 100_000;

        var tradesPerSecond = options.TradesPerSecond * activityShare;
        _meanTradeIntervalUs = SimulatedTime.MicrosecondsPerSecond / tradesPerSecond;
        _meanBookChangeIntervalUs = options.OrderBookChangesPerTrade > 0
            ? _meanTradeIntervalUs / options.OrderBookChangesPerTrade
            : double.PositiveInfinity;

        // Larger symbols trade larger tickets: together with the Zipf rates this gives the volume skew.
        _medianTradeNotional = 400 * Math.Pow(spec.Rank + 1, -0.5);
        var tick = (double)spec.TickSize;
        _unitNotionalPerTick = tick * (double)spec.StepSize;
        _fairTicks = (long)(spec.InitialPrice / spec.TickSize);
        _levelGapTicks = Math.Max(1, (long)Math.Round((double)spec.InitialPrice * 1e-5 / tick));
        _fairSigmaTicks = (double)spec.InitialPrice * 3e-5 / tick;

        _nextAggregateId = _random.NextInt64(100_000, 1_000_000_000);
        _nextTradeId = _random.NextInt64(1_000_000, 4_000_000_000);
        _book = new OrderBook(_random.NextInt64(1_000_000, 100_000_000_000));
        SeedBook();

        _nextTradeUs = startUs + Wait(_meanTradeIntervalUs);
        _nextBookChangeUs = double.IsInfinity(_meanBookChangeIntervalUs) ? NoEvent : startUs + Wait(_meanBookChangeIntervalUs);
        _nextRegimeUs = startUs + Wait(_regime.MeanDurationSeconds() * SimulatedTime.MicrosecondsPerSecond);
        _lastTradeEventUs = startUs;
    }

    public SymbolSpec Spec => _spec;

    public long NextEventUs => Math.Min(Math.Min(_nextTradeUs, _nextBookChangeUs), Math.Min(_nextRegimeUs, _nextDepthUs));

    /// <summary>Runs the earliest pending event; a diff event due at the same time goes first, closing its period.</summary>
    public void Step(IMarketListener listener)
    {
        var now = NextEventUs;
        if (now == _nextDepthUs)
        {
            PublishDepth(now, listener);
        }
        else if (now == _nextRegimeUs)
        {
            SwitchRegime(now);
        }
        else if (now == _nextTradeUs)
        {
            Trade(now, listener);
        }
        else
        {
            ChangeBook(now);
        }
    }

    /// <summary>
    /// Moves every pending event <paramref name="deltaUs"/> later (the symbol was stopped that long): the processes are
    /// memoryless, so the symbol goes on as if the pause had not happened. A pending diff stays on a period boundary.
    /// </summary>
    public void Postpone(long deltaUs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(deltaUs);
        if (deltaUs == 0)
        {
            return;
        }

        _nextTradeUs += deltaUs;
        _nextRegimeUs += deltaUs;
        if (_nextBookChangeUs != NoEvent)
        {
            _nextBookChangeUs += deltaUs;
        }

        if (_nextDepthUs != NoEvent)
        {
            var shifted = _nextDepthUs + deltaUs;
            _nextDepthUs = (shifted + _depthPeriodUs - 1) / _depthPeriodUs * _depthPeriodUs;
        }
    }

    public OrderBookSnapshot Snapshot(int limit, long nowUs) => new()
    {
        Symbol = _spec.Name,
        LastUpdateId = _book.LastUpdateId,
        EventTimeUs = nowUs,
        TransactionTimeUs = _book.LastChangeUs,
        Bids = [.. _book.Top(bid: true, limit).Select(Level)],
        Asks = [.. _book.Top(bid: false, limit).Select(Level)],
    };

    private void SeedBook()
    {
        for (var i = 1; i <= InitialLevelsPerSide; i++)
        {
            _book.Seed(bid: true, Math.Max(1, _fairTicks - (i * _levelGapTicks)), RestingOrderSteps());
            _book.Seed(bid: false, _fairTicks + (i * _levelGapTicks), RestingOrderSteps());
        }
    }

    private void Trade(long now, IMarketListener listener)
    {
        var takerBuys = _random.NextBool(_takerBuyProbability);
        var makerSideIsBid = !takerBuys;
        if (_book.Count(makerSideIsBid) == 0)
        {
            AddOrder(makerSideIsBid, now);
        }

        if (!_book.TryGetBest(makerSideIsBid, out var priceTicks, out var available))
        {
            // Only when the other side sits at the lowest possible price: no room for a resting order.
            _nextTradeUs = now + Wait(_meanTradeIntervalUs / _regime.RateMultiplier());
            return;
        }

        var wanted = StepsForNotional(_medianTradeNotional * LogNormal(1.3), priceTicks);
        var quantity = Math.Min(wanted, available);
        var fills = Math.Min(_random.NextGeometric(_regime.MeanFillsPerTrade()), quantity);
        _book.Set(makerSideIsBid, priceTicks, available - quantity, now);
        ScheduleDepth(now);

        var eventTime = Math.Max(_lastTradeEventUs, now + _random.NextInt64(0, _maxEventLatencyUs));
        _lastTradeEventUs = eventTime;
        var trade = new AggregateTrade(
            _spec.Name,
            _nextAggregateId++,
            ScaledDecimal.FromUnits(priceTicks, _spec.TickDecimals, _spec.PriceScale),
            ScaledDecimal.FromUnits(quantity, _spec.StepDecimals, _spec.QuantityScale),
            _nextTradeId,
            _nextTradeId + fills - 1,
            now,
            eventTime,
            BuyerIsMaker: !takerBuys);
        _nextTradeId += fills;
        listener.OnTrade(trade);

        // Taker flow pushes the fair price its way; the noise is the rest of price discovery.
        var push = (takerBuys ? 0.3 : -0.3) * _levelGapTicks;
        _fairTicks = Math.Max(_levelGapTicks + 1, _fairTicks + (long)Math.Round((_random.NextNormal() * _fairSigmaTicks) + push));
        _nextTradeUs = now + Wait(_meanTradeIntervalUs / _regime.RateMultiplier());
    }

    private void ChangeBook(long now)
    {
        var bid = _random.NextBool(0.5);
        if (_random.NextBool(0.6) || _book.Count(bid) == 0)
        {
            AddOrder(bid, now);
        }
        else
        {
            var depth = Math.Min(_random.NextGeometric(10) - 1, _book.Count(bid) - 1);
            _book.TryGetLevel(bid, depth, out var priceTicks, out var quantity);
            var remaining = _random.NextBool(0.5) ? 0 : quantity / 2;
            _book.Set(bid, priceTicks, remaining, now);
        }

        ScheduleDepth(now);
        _nextBookChangeUs = now + Wait(_meanBookChangeIntervalUs / _regime.RateMultiplier());
    }

    /// <summary>Adds a resting order near the fair price, never crossing the other side; trims the farthest level beyond the limit.</summary>
    private void AddOrder(bool bid, long now)
    {
        var distance = _random.NextGeometric(10) * _levelGapTicks;
        long priceTicks;
        if (bid)
        {
            priceTicks = Math.Max(1, _fairTicks - distance);
            if (_book.TryGetBest(bid: false, out var bestAsk, out _) && priceTicks >= bestAsk)
            {
                priceTicks = bestAsk - 1;
            }
        }
        else
        {
            priceTicks = _fairTicks + distance;
            if (_book.TryGetBest(bid: true, out var bestBid, out _) && priceTicks <= bestBid)
            {
                priceTicks = bestBid + 1;
            }
        }

        if (priceTicks < 1)
        {
            return;
        }

        _book.Set(bid, priceTicks, _book.Quantity(bid, priceTicks) + RestingOrderSteps(), now);
        if (_book.Count(bid) > _maxLevelsPerSide)
        {
            _book.Set(bid, _book.WorstPrice(bid), 0, now);
        }
    }

    private void PublishDepth(long now, IMarketListener listener)
    {
        _nextDepthUs = NoEvent;
        var transactionTime = _book.LastChangeUs;
        var finalUpdateId = _book.LastUpdateId;
        var (first, previous, bids, asks) = _book.TakeChanges();
        listener.OnDepthUpdate(new DepthUpdate
        {
            Symbol = _spec.Name,
            FirstUpdateId = first,
            FinalUpdateId = finalUpdateId,
            PreviousFinalUpdateId = previous,
            EventTimeUs = now,
            TransactionTimeUs = transactionTime,
            Bids = Array.ConvertAll(bids, Level),
            Asks = Array.ConvertAll(asks, Level),
        });
    }

    private void SwitchRegime(long now)
    {
        _regime = _regime.Next(_random);
        // A burst is one-sided (a pump or a dump); otherwise buyers and sellers balance.
        _takerBuyProbability = _regime == MarketRegime.Burst ? (_random.NextBool(0.5) ? 0.75 : 0.25) : 0.5;
        _nextRegimeUs = now + Wait(_regime.MeanDurationSeconds() * SimulatedTime.MicrosecondsPerSecond);
        // Poisson processes are memoryless: redrawing the waits at the new rates is exact.
        _nextTradeUs = now + Wait(_meanTradeIntervalUs / _regime.RateMultiplier());
        if (_nextBookChangeUs != NoEvent)
        {
            _nextBookChangeUs = now + Wait(_meanBookChangeIntervalUs / _regime.RateMultiplier());
        }
    }

    private void ScheduleDepth(long now)
    {
        if (_nextDepthUs == NoEvent && _book.HasUnpublishedChanges)
        {
            _nextDepthUs = ((now / _depthPeriodUs) + 1) * _depthPeriodUs;
        }
    }

    private PriceLevel Level(KeyValuePair<long, long> level) => new(
        ScaledDecimal.FromUnits(level.Key, _spec.TickDecimals, _spec.PriceScale),
        ScaledDecimal.FromUnits(level.Value, _spec.StepDecimals, _spec.QuantityScale));

    private long RestingOrderSteps() => StepsForNotional(_medianTradeNotional * 3 * LogNormal(1.0), _fairTicks);

    private long StepsForNotional(double notional, long priceTicks) =>
        Math.Max(1, (long)(notional / (priceTicks * _unitNotionalPerTick)));

    private double LogNormal(double sigma) => Math.Exp(sigma * _random.NextNormal());

    /// <summary>A Poisson wait of at least 1 µs, so each process moves strictly forward.</summary>
    private long Wait(double meanUs) => Math.Max(1, (long)_random.NextExponential(meanUs));
}
