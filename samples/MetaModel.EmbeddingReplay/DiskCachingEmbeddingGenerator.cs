using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;

namespace MetaModel.EmbeddingReplay;

/// <summary>
/// Serves embeddings from memory and from one file per text on disk, and asks the inner generator only for texts it
/// has not seen; what the inner generator returns is written to disk for the next run.
/// </summary>
/// <remarks>
/// <para>
/// A file is named by the SHA-256 of the text's UTF-8 bytes and holds a magic number, the vector's length, a checksum
/// of the values and the values. A file that cannot be read, is truncated, fails its checksum, has another length
/// than <see cref="Dimensions"/> or holds a non-finite value is treated as missing: the text is embedded again and
/// the file replaced. Files are written to a temporary name and then moved, so a run that stops midway leaves no
/// half-written file under a real name. The folder must hold the embeddings of one model only.
/// </para>
/// <para>Thread safety: calls can run concurrently; two calls may both embed a text neither has cached.</para>
/// </remarks>
internal sealed class DiskCachingEmbeddingGenerator : DelegatingEmbeddingGenerator<string, Embedding<float>>
{
    private const uint Magic = 0x4345_4D4D; // "MMEC" in little-endian order.
    private const int HeaderBytes = 16;

    private readonly string _directory;
    private readonly ConcurrentDictionary<string, float[]> _memory = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _corruptFiles = new(StringComparer.Ordinal);
    private int _hits;
    private int _misses;

    /// <summary>Initializes a new instance of the <see cref="DiskCachingEmbeddingGenerator"/> class.</summary>
    /// <param name="inner">The generator asked for texts that are not cached; disposed with this one.</param>
    /// <param name="directory">The cache folder, created when missing.</param>
    /// <param name="dimensions">The length of every vector the inner generator returns.</param>
    public DiskCachingEmbeddingGenerator(
        IEmbeddingGenerator<string, Embedding<float>> inner,
        string directory,
        int dimensions)
        : base(inner)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        _directory = Path.GetFullPath(directory);
        Dimensions = dimensions;
        Directory.CreateDirectory(_directory);
    }

    /// <summary>Gets the length of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>Gets the cache folder.</summary>
    public string DirectoryPath => _directory;

    /// <summary>Gets how many texts were served from memory or disk.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Gets how many texts the inner generator embedded.</summary>
    public int Misses => Volatile.Read(ref _misses);

    /// <summary>Gets how many cache files were unreadable or invalid and were recomputed.</summary>
    public int CorruptFiles => _corruptFiles.Count;

    /// <inheritdoc />
    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        string[] texts = [.. values];
        var vectors = new float[texts.Length][];
        var missing = new List<int>();
        for (int i = 0; i < texts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(texts[i], nameof(values));
            if (TryGet(texts[i], out float[]? vector))
            {
                vectors[i] = vector;
                Interlocked.Increment(ref _hits);
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            string[] toEmbed = [.. missing.Select(i => texts[i])];
            GeneratedEmbeddings<Embedding<float>> fresh =
                await base.GenerateAsync(toEmbed, options, cancellationToken).ConfigureAwait(false);
            if (fresh.Count != toEmbed.Length)
            {
                throw new InvalidOperationException(
                    $"The inner generator returned {fresh.Count} embeddings for {toEmbed.Length} texts.");
            }

            for (int j = 0; j < missing.Count; j++)
            {
                float[] vector = fresh[j].Vector.ToArray();
                if (vector.Length != Dimensions)
                {
                    throw new InvalidOperationException(
                        $"The inner generator returned {vector.Length} values; this cache holds {Dimensions}.");
                }

                vectors[missing[j]] = vector;
                _memory[toEmbed[j]] = vector;
                Write(toEmbed[j], vector);
            }

            Interlocked.Add(ref _misses, missing.Count);
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        foreach (float[] vector in vectors)
        {
            result.Add(new Embedding<float>(vector));
        }

        return result;
    }

    /// <summary>
    /// Embeds every text that is not cached yet, in batches of texts of similar length, so later calls are served
    /// from memory; texts already on disk are loaded.
    /// </summary>
    /// <param name="texts">The texts; duplicates are embedded once.</param>
    /// <param name="batchSize">How many texts each call to the inner generator gets.</param>
    /// <param name="progress">Receives (done, total) for the texts that needed embedding, after each batch.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of texts that were embedded (not found in the cache).</returns>
    public async Task<int> PrecomputeAsync(
        IEnumerable<string> texts,
        int batchSize,
        IProgress<(int Done, int Total)>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        // Texts of similar length go in the same batch: an encoder pads every text of a batch to the longest one,
        // so a batch that mixes one long text with short ones costs as much as a batch of long texts.
        List<string> missing =
        [
            .. texts.Distinct(StringComparer.Ordinal).Where(t => !TryGet(t, out _)).OrderBy(t => t.Length),
        ];
        progress?.Report((0, missing.Count));
        for (int start = 0; start < missing.Count; start += batchSize)
        {
            List<string> batch = missing.GetRange(start, Math.Min(batchSize, missing.Count - start));
            await GenerateAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress?.Report((start + batch.Count, missing.Count));
        }

        return missing.Count;
    }

    private bool TryGet(string text, out float[] vector)
    {
        if (_memory.TryGetValue(text, out float[]? cached))
        {
            vector = cached;
            return true;
        }

        string path = PathOf(text);
        if (File.Exists(path))
        {
            if (TryRead(path, out float[]? read))
            {
                _memory[text] = read;
                vector = read;
                return true;
            }

            // A text can be looked up twice before its file is replaced; the file counts once.
            _corruptFiles.TryAdd(path, true);
        }

        vector = [];
        return false;
    }

    private bool TryRead(string path, out float[] vector)
    {
        vector = [];
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        if (bytes.Length != HeaderBytes + (Dimensions * sizeof(float)) ||
            BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic ||
            BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)) != Dimensions)
        {
            return false;
        }

        ReadOnlySpan<byte> payload = bytes.AsSpan(HeaderBytes);
        if (BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(8)) != Checksum(payload))
        {
            return false;
        }

        float[] values = new float[Dimensions];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(payload[(i * sizeof(float))..]);
        }

        if (!Array.TrueForAll(values, float.IsFinite))
        {
            return false;
        }

        vector = values;
        return true;
    }

    private void Write(string text, float[] vector)
    {
        var bytes = new byte[HeaderBytes + (vector.Length * sizeof(float))];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), vector.Length);
        for (int i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(HeaderBytes + (i * sizeof(float))), vector[i]);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), Checksum(bytes.AsSpan(HeaderBytes)));
        string path = PathOf(text);

        // A cache that cannot be written only costs time on the next run; the embedding is still returned.
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temporary = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
            File.WriteAllBytes(temporary, bytes);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Could not write the embedding cache file {path}: {ex.Message}");
        }
    }

    private string PathOf(string text)
    {
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        return Path.Combine(_directory, hash[..2], hash + ".bin");
    }

    private static ulong Checksum(ReadOnlySpan<byte> payload) =>
        BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(payload));
}
