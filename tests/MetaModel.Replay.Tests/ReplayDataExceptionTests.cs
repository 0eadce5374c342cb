namespace MetaModel.Replay.Tests;

public sealed class ReplayDataExceptionTests
{
    [Fact]
    public void Constructor_WithLocation_NamesEveryKnownPart()
    {
        var inner = new FormatException("inner");

        var error = new ReplayDataException("The cost is odd.", "/data/a.csv", 12, "m|total_cost", 40, inner);

        error.Message.Should().Be("Replay data file '/data/a.csv', row 12, column 'm|total_cost', line 40: The cost is odd.");
        error.FilePath.Should().Be("/data/a.csv");
        error.Row.Should().Be(12);
        error.Column.Should().Be("m|total_cost");
        error.Line.Should().Be(40);
        error.InnerException.Should().BeSameAs(inner);
    }

    [Fact]
    public void Constructor_WithFileOnly_LeavesOutUnknownParts()
    {
        var error = new ReplayDataException("Missing column.", "/data/a.csv");

        error.Message.Should().Be("Replay data file '/data/a.csv': Missing column.");
        error.Row.Should().BeNull();
        error.Column.Should().BeNull();
        error.Line.Should().BeNull();
    }

    [Fact]
    public void StandardConstructors_Work()
    {
        new ReplayDataException().Message.Should().NotBeNullOrEmpty();
        new ReplayDataException("m").Message.Should().Be("m");
        new ReplayDataException("m", new InvalidOperationException()).InnerException
            .Should().BeOfType<InvalidOperationException>();
        new ReplayDataException("m").FilePath.Should().BeNull();
    }
}
