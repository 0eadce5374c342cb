using System.Diagnostics;

namespace MetaModel.EmbeddingReplay;

/// <summary>Shows embedding progress on one console line, with the time left at the rate so far.</summary>
/// <param name="clock">The clock started when embedding began.</param>
internal sealed class ConsoleProgress(Stopwatch clock) : IProgress<(int Done, int Total)>
{
    /// <inheritdoc />
    public void Report((int Done, int Total) value)
    {
        if (value.Total == 0)
        {
            return;
        }

        double seconds = clock.Elapsed.TotalSeconds;
        string left = value.Done == 0 ? "" : $", about {seconds / value.Done * (value.Total - value.Done):0} s left";
        string line = $"Embedding prompts: {value.Done:N0}/{value.Total:N0} ({value.Done * 100 / value.Total}%), " +
            $"{seconds:0} s{left}";

        // A redirected output gets one line per report; a terminal gets one line that is rewritten.
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine(line);
        }
        else
        {
            Console.Write("\r" + line.PadRight(Console.WindowWidth > 1 ? Console.WindowWidth - 1 : 0));
            if (value.Done == value.Total)
            {
                Console.WriteLine();
            }
        }
    }
}
