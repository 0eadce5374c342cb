using MetaModel.EmbeddingReplay;
using Microsoft.Extensions.AI;

namespace MetaModel.EmbeddingReplay.Tests;

public sealed class DiskCachingEmbeddingGeneratorTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mm-embedding-cache-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task SecondInstance_ServesFromDisk_WithoutCallingTheInnerGenerator()
    {
        var first = new CountingGenerator();
        using (var cache = new DiskCachingEmbeddingGenerator(first, _folder, 3))
        {
            (await cache.GenerateAsync(["a", "b"]))[1].Vector.ToArray().Should().Equal(1f, 1f, 0f);
        }

        var second = new CountingGenerator();
        using var reopened = new DiskCachingEmbeddingGenerator(second, _folder, 3);
        GeneratedEmbeddings<Embedding<float>> again = await reopened.GenerateAsync(["b", "a", "c"]);

        again.Select(e => e.Vector.ToArray()[0]).Should().Equal(1f, 1f, 1f);
        second.Inputs.Should().Equal("c");
        reopened.Hits.Should().Be(2);
        reopened.Misses.Should().Be(1);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("flipped")]
    [InlineData("empty")]
    public async Task CorruptFile_IsRecomputedAndReplaced(string damage)
    {
        using (var cache = new DiskCachingEmbeddingGenerator(new CountingGenerator(), _folder, 3))
        {
            await cache.GenerateAsync(["text"]);
        }

        string file = Directory.GetFiles(_folder, "*.bin", SearchOption.AllDirectories).Single();
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, damage switch
        {
            "truncated" => bytes[..^2],
            "flipped" => [.. bytes[..^1], (byte)(bytes[^1] ^ 0x40)],
            _ => [],
        });

        var inner = new CountingGenerator();
        using var reopened = new DiskCachingEmbeddingGenerator(inner, _folder, 3);
        (await reopened.PrecomputeAsync(["text"], batchSize: 4)).Should().Be(1);
        (await reopened.GenerateAsync(["text"]))[0].Vector.Length.Should().Be(3);

        inner.Inputs.Should().Equal("text");
        reopened.CorruptFiles.Should().Be(1);
        File.ReadAllBytes(file).Should().Equal(bytes);
    }

    [Fact]
    public async Task Precompute_EmbedsEachMissingTextOnce_InBatches()
    {
        var inner = new CountingGenerator();
        using var cache = new DiskCachingEmbeddingGenerator(inner, _folder, 3);
        var reports = new List<(int Done, int Total)>();

        int embedded = await cache.PrecomputeAsync(["x", "y", "x", "z"], batchSize: 2, new SyncProgress(reports.Add));

        embedded.Should().Be(3);
        inner.Calls.Should().Be(2);
        reports.Should().Equal((0, 3), (2, 3), (3, 3));
        (await cache.PrecomputeAsync(["x", "z"], batchSize: 2)).Should().Be(0);
    }

    private sealed class SyncProgress(Action<(int Done, int Total)> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value);
    }

    private sealed class CountingGenerator : IEmbeddingGenerator<string, Embedding<float>>
    {
        public List<string> Inputs { get; } = [];

        public int Calls { get; private set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values,
            EmbeddingGenerationOptions? options = null,
            CancellationToken cancellationToken = default)
        {
            Calls++;
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (string value in values)
            {
                Inputs.Add(value);
                result.Add(new Embedding<float>(new float[] { 1, value.Length, 0 }));
            }

            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
