using System.Security.Cryptography;
using System.Text;

namespace MetaModel.Scoring;

/// <summary>The binary snapshot format of a <see cref="ContextualBanditScorer"/>, version 2.</summary>
/// <remarks>
/// Little-endian throughout:
/// <code>
/// magic "MMCB" (4 bytes) · format version (int32) · total length in bytes, checksum included (int64)
/// dimension d (int32) · model dimension m (int32) · projection seed (int64) · ridge prior λ₀ (float64)
/// forgetting factor γ (float64) · feature schema byte count (int32, −1 for none) · feature schema (UTF-8)
/// arm count K (int32)
/// K × [ id byte count (int32) · id (UTF-8) ]
/// K × [ updates (int64) · prior mass (float64) · A (m(m+1)/2 float32, packed upper triangle)
///       A⁻¹ (m(m+1)/2 float32) · b (m float32) · θ (m float32) ]
/// SHA-256 of every preceding byte (32 bytes)
/// </code>
/// Reading verifies, in order: length, magic, version, declared length, checksum, then the content; nothing
/// is parsed from bytes whose checksum failed. Version 1, which had no feature schema, is still read; its
/// snapshots have none.
/// </remarks>
internal sealed class BanditSnapshot
{
    public const int FormatVersion = 2;
    private const int FirstFormatVersion = 1;
    private const int MaxSchemaBytes = 3 * ContextualBanditScorer.MaximumFeatureSchemaLength;
    private const int HashLength = 32;
    private const int FixedHeaderLength = 4 + 4 + 8 + 4 + 4 + 8 + 8 + 8 + 4;
    private const int MaxIdBytes = 4096;
    private static ReadOnlySpan<byte> Magic => "MMCB"u8;

    public required int Dimension { get; init; }

    public required int ModelDimension { get; init; }

    public required long ProjectionSeed { get; init; }

    public required double RidgePrior { get; init; }

    public required double ForgettingFactor { get; init; }

    public required string? FeatureSchema { get; init; }

    public required IReadOnlyList<string> ArmIds { get; init; }

    public required IReadOnlyList<ArmData> Arms { get; init; }

    public void WriteTo(Stream destination)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            writer.Write(0L);
            writer.Write(Dimension);
            writer.Write(ModelDimension);
            writer.Write(ProjectionSeed);
            writer.Write(RidgePrior);
            writer.Write(ForgettingFactor);
            if (FeatureSchema is null)
            {
                writer.Write(-1);
            }
            else
            {
                byte[] schema = Encoding.UTF8.GetBytes(FeatureSchema);
                writer.Write(schema.Length);
                writer.Write(schema);
            }

            writer.Write(ArmIds.Count);
            foreach (string id in ArmIds)
            {
                byte[] bytes = Encoding.UTF8.GetBytes(id);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }

            foreach (ArmData arm in Arms)
            {
                writer.Write(arm.Updates);
                writer.Write(arm.PriorMass);
                WriteFloats(writer, arm.Gram);
                WriteFloats(writer, arm.Inverse);
                WriteFloats(writer, arm.Rewards);
                WriteFloats(writer, arm.Theta);
            }

            // Patch the total length, then append the checksum of everything before it.
            long total = buffer.Length + HashLength;
            buffer.Position = 8;
            writer.Write(total);
            writer.Flush();
        }

        byte[] content = buffer.GetBuffer();
        int length = (int)buffer.Length;
        byte[] hash = SHA256.HashData(content.AsSpan(0, length));
        destination.Write(content, 0, length);
        destination.Write(hash);
    }

    public static BanditSnapshot ReadFrom(Stream source)
    {
        byte[] bytes = ReadAll(source);
        if (bytes.Length < FixedHeaderLength + HashLength)
        {
            throw Invalid($"The snapshot is truncated: {bytes.Length} bytes is shorter than the smallest valid snapshot.");
        }

        if (!bytes.AsSpan(0, 4).SequenceEqual(Magic))
        {
            throw Invalid("The data is not a MetaModel bandit snapshot (the magic number is wrong).");
        }

        int version = BitConverter.ToInt32(bytes, 4);
        if (version is < FirstFormatVersion or > FormatVersion)
        {
            throw Invalid($"The snapshot has format version {version}; this library reads versions " +
                $"{FirstFormatVersion} to {FormatVersion}.");
        }

        long declared = BitConverter.ToInt64(bytes, 8);
        if (declared != bytes.Length)
        {
            throw Invalid(declared > bytes.Length
                ? $"The snapshot is truncated: its header declares {declared} bytes but only {bytes.Length} were read."
                : $"The snapshot has {bytes.Length} bytes but its header declares {declared}.");
        }

        int contentLength = bytes.Length - HashLength;
        byte[] expected = SHA256.HashData(bytes.AsSpan(0, contentLength));
        if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(contentLength)))
        {
            throw Invalid("The snapshot is corrupt: its SHA-256 checksum does not match its content.");
        }

        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes, 16, contentLength - 16), Encoding.UTF8);
            return ReadContent(reader, version);
        }
        catch (EndOfStreamException ex)
        {
            throw new InvalidDataException("The snapshot's content is shorter than its header describes.", ex);
        }
    }

    private static BanditSnapshot ReadContent(BinaryReader reader, int version)
    {
        int dimension = reader.ReadInt32();
        int modelDimension = reader.ReadInt32();
        long projectionSeed = reader.ReadInt64();
        double ridgePrior = reader.ReadDouble();
        double forgettingFactor = reader.ReadDouble();
        string? featureSchema = version >= 2 ? ReadSchema(reader) : null;
        int armCount = reader.ReadInt32();
        long remaining = reader.BaseStream.Length - reader.BaseStream.Position;
        if (dimension <= 0 || modelDimension <= 0 || modelDimension > dimension || armCount <= 0
            || (long)armCount * modelDimension * modelDimension > remaining)
        {
            throw Invalid($"The snapshot's header is inconsistent (d = {dimension}, m = {modelDimension}, K = {armCount}).");
        }

        var ids = new string[armCount];
        for (int k = 0; k < armCount; k++)
        {
            int byteCount = reader.ReadInt32();
            if (byteCount is <= 0 or > MaxIdBytes)
            {
                throw Invalid($"The snapshot's arm id {k} has an invalid length of {byteCount} bytes.");
            }

            ids[k] = Encoding.UTF8.GetString(reader.ReadBytes(byteCount));
        }

        var arms = new ArmData[armCount];
        for (int k = 0; k < armCount; k++)
        {
            var arm = new ArmData(modelDimension)
            {
                Updates = reader.ReadInt64(),
                PriorMass = reader.ReadDouble(),
            };
            ReadFloats(reader, arm.Gram);
            ReadFloats(reader, arm.Inverse);
            ReadFloats(reader, arm.Rewards);
            ReadFloats(reader, arm.Theta);
            if (arm.Updates < 0 || !(arm.PriorMass > 0) || !double.IsFinite(arm.PriorMass))
            {
                throw Invalid($"The snapshot's arm '{ids[k]}' has invalid counters.");
            }

            arms[k] = arm;
        }

        if (reader.BaseStream.Position != reader.BaseStream.Length)
        {
            throw Invalid("The snapshot has unexpected bytes after its last arm.");
        }

        return new BanditSnapshot
        {
            Dimension = dimension,
            ModelDimension = modelDimension,
            ProjectionSeed = projectionSeed,
            RidgePrior = ridgePrior,
            ForgettingFactor = forgettingFactor,
            FeatureSchema = featureSchema,
            ArmIds = ids,
            Arms = arms,
        };
    }

    private static string? ReadSchema(BinaryReader reader)
    {
        int byteCount = reader.ReadInt32();
        if (byteCount == -1)
        {
            return null;
        }

        if (byteCount is < 0 or > MaxSchemaBytes)
        {
            throw Invalid($"The snapshot's feature schema has an invalid length of {byteCount} bytes.");
        }

        byte[] bytes = reader.ReadBytes(byteCount);
        return bytes.Length == byteCount ? Encoding.UTF8.GetString(bytes) : throw new EndOfStreamException();
    }

    private static byte[] ReadAll(Stream source)
    {
        using var copy = new MemoryStream();
        source.CopyTo(copy);
        return copy.ToArray();
    }

    private static void WriteFloats(BinaryWriter writer, float[] values)
    {
        foreach (float value in values)
        {
            writer.Write(value);
        }
    }

    private static void ReadFloats(BinaryReader reader, float[] destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            float value = reader.ReadSingle();
            if (!float.IsFinite(value))
            {
                throw Invalid("The snapshot contains a non-finite number.");
            }

            destination[i] = value;
        }
    }

    private static InvalidDataException Invalid(string message) => new(message);
}
