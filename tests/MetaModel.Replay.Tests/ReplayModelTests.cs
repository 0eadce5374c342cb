namespace MetaModel.Replay.Tests;

public sealed class ReplayModelTests
{
    [Fact]
    public void Constructor_KeepsIdAndPrices()
    {
        var model = new ReplayModel("org/m", 0.2m, 0.6m);

        model.Id.Should().Be("org/m");
        model.InputPricePerMillion.Should().Be(0.2m);
        model.OutputPricePerMillion.Should().Be(0.6m);
        model.ToString().Should().Be("org/m");
        new ReplayModel("x").InputPricePerMillion.Should().BeNull();
    }

    [Fact]
    public void Constructor_NegativePriceOrEmptyId_Throws()
    {
        FluentActions.Invoking(() => new ReplayModel("m", -1m)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReplayModel("m", 1m, -1m)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new ReplayModel(" ")).Should().Throw<ArgumentException>();
    }
}
