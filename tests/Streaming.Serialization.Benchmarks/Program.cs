using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Streaming.Serialization.Benchmarks.SerdeBenchmarks).Assembly).Run(args);
