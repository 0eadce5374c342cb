using MetaModel.Features;

namespace MetaModel.Tests.Features;

public sealed class CharacterTableTests
{
    [Fact]
    public void EveryCharacter_FoldsAndClassifiesExactlyAsTheCharacterApis()
    {
        for (int i = 0; i <= char.MaxValue; i++)
        {
            char c = (char)i;
            char expectedFold = char.ToLowerInvariant(c);

            CharacterTable.Fold(c).Should().Be(expectedFold, $"the fold of U+{i:X4}");
            CharacterTable.FoldWordCharacter(c, out char folded).Should().Be(char.IsLetterOrDigit(expectedFold), $"U+{i:X4}");
            folded.Should().Be(expectedFold, $"the fold of U+{i:X4}");
            CharacterTable.IsFoldedLetter(c).Should().Be(char.IsLetter(c), $"whether U+{i:X4} is a letter");
        }
    }
}
