using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using MetaModel.Scoring;

namespace MetaModel.Tests.Scoring;

/// <summary>The cache-line alignment that the arms' matrices and the scratch vectors get.</summary>
public class AlignedFloatsTests
{
    [Fact]
    public void Allocate_StartsOnACacheLine_WithRoomForTheLength()
    {
        // Many arrays of many sizes: an ordinary array starts at 8 modulo 16 bytes about half the time.
        for (int length = 1; length <= 600; length += 7)
        {
            float[] array = AlignedFloats.Allocate(length, out int start);

            (Address(ref array[start]) % 64).Should().Be(0, "an array of {0} floats starts on a cache line", length);
            (array.Length - start).Should().BeGreaterThanOrEqualTo(length);
            start.Should().BeInRange(0, AlignedFloats.Alignment - 1);
        }
    }

    [Fact]
    public void RoundUp_GivesWholeCacheLinesOfFloats()
    {
        AlignedFloats.RoundUp(1).Should().Be(16);
        AlignedFloats.RoundUp(16).Should().Be(16);
        AlignedFloats.RoundUp(17).Should().Be(32);
        AlignedFloats.RoundUp(2304).Should().Be(2304);
    }

    [Fact]
    public async Task ScratchVectors_StartOnACacheLine_AsTheyGrow()
    {
        // On a thread of its own, so that the thread's buffer starts empty and grows here.
        await Task.Factory.StartNew(() =>
        {
            foreach (int length in new[] { 8, 72, 200, 1000, 5000 })
            {
                Span<float> span = ScratchBuffers.Vectors(length);
                span.Length.Should().Be(length);
                (Address(ref MemoryMarshal.GetReference(span)) % 64).Should().Be(0, "{0} scratch floats", length);
            }
        }, TaskCreationOptions.LongRunning);
    }

    private static long Address(ref float element) =>
        (long)Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref element);
}
