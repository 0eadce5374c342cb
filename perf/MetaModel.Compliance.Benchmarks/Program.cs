using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Running;

namespace MetaModel.Compliance.Benchmarks;

/// <summary>Runs the decision log benchmarks: <c>dotnet run -c Release -- --filter *</c>, or <c>-- --cpu-probe</c>.</summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        if (args is ["--cpu-probe"])
        {
            await CpuTimeProbe.RunAsync(Console.Out).ConfigureAwait(false);
            return;
        }

        IConfig config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        _ = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
