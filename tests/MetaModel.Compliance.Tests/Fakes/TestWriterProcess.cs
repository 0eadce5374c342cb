using System.Diagnostics;

namespace MetaModel.Compliance.Tests.Fakes;

/// <summary>Starts the test writer as a child process and follows what it reports as stored.</summary>
public static class TestWriterProcess
{
    public static Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "MetaModel.Compliance.TestWriter.dll");
        File.Exists(dll).Should().BeTrue("the test writer is built next to the tests");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    /// <summary>Reads "stored N" lines until N reaches <paramref name="minimum"/>; returns the last N.</summary>
    public static async Task<long> WaitForStoredAsync(Process child, long minimum)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        long stored = 0;
        while (stored < minimum)
        {
            string? line = await child.StandardOutput.ReadLineAsync(timeout.Token);
            if (line is null)
            {
                string error = await child.StandardError.ReadToEndAsync(timeout.Token);
                throw new InvalidOperationException("The test writer ended early: " + error);
            }

            if (line.StartsWith("stored ", StringComparison.Ordinal))
            {
                stored = long.Parse(line["stored ".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return stored;
    }

    /// <summary>Reads the output to its end, returning the last "stored N".</summary>
    public static async Task<string> ReadToEndAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        string output = await child.StandardOutput.ReadToEndAsync(timeout.Token);
        await child.WaitForExitAsync(timeout.Token);
        return output;
    }
}
