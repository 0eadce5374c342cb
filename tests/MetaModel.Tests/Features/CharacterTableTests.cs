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
            bool foldedLetter = char.IsLetter(expectedFold);
            int entry = CharacterTable.Lookup(c);

            CharacterTable.Fold(c).Should().Be(expectedFold, $"the fold of U+{i:X4}");
            ((char)entry).Should().Be(expectedFold, $"the fold of U+{i:X4} in its entry");
            ((entry & CharacterTable.WordFlag) != 0).Should().Be(char.IsLetterOrDigit(expectedFold), $"U+{i:X4} in a word");
            ((entry & CharacterTable.FoldedLetterFlag) != 0).Should().Be(foldedLetter, $"whether U+{i:X4} folds to a letter");
            ((entry & CharacterTable.UnspacedFlag) != 0).Should().Be(
                expectedFold is (>= '\u0E00' and <= '\u0E7F') or (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u9FFF'),
                $"whether U+{i:X4} folds into a script without spaces");
            CharacterTable.FamilyOf(entry).Should().Be(
                foldedLetter && expectedFold >= '\u0370' ? ScriptCounts.FamilyOf(expectedFold) : ScriptCounts.None,
                $"the script family of U+{i:X4}");
        }
    }

    [Fact]
    public void ScriptFamilies_AreTheOnesTheFeaturizerDocuments()
    {
        CharacterTable.FamilyOf(CharacterTable.Lookup('Ж')).Should().Be(1, "Cyrillic");
        CharacterTable.FamilyOf(CharacterTable.Lookup('Ω')).Should().Be(0, "Greek");
        CharacterTable.FamilyOf(CharacterTable.Lookup('漢')).Should().Be(8, "Han");
        CharacterTable.FamilyOf(CharacterTable.Lookup('é')).Should().Be(ScriptCounts.None, "Latin");
        CharacterTable.FamilyOf(CharacterTable.Lookup('7')).Should().Be(ScriptCounts.None, "a digit");
    }
}
