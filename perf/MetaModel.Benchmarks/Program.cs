using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace MetaModel.Benchmarks;

/// <summary>Runs the benchmarks; pass BenchmarkDotNet arguments such as <c>--filter *Decision*</c>.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        // The decision log's plain wall-and-CPU-time measurement, for a shared machine (see perf/results/compliance.md).
        if (args is ["--compliance-cpu-probe"])
        {
            Compliance.CpuTimeProbe.RunAsync(Console.Out).GetAwaiter().GetResult();
            return;
        }

        // A short job keeps a full run within minutes on a two-core machine. Median and minimum are shown next to
        // the mean because a shared machine inflates the mean first. Pass --job default for more statistics.
        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min)
            .AddExporter(MarkdownExporter.GitHub)
            .AddJob(Job.Default
                .WithWarmupCount(3)
                .WithIterationCount(7)
                .WithLaunchCount(1)
                .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
                .AsDefault());
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
