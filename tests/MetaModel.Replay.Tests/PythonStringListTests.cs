namespace MetaModel.Replay.Tests;

public sealed class PythonStringListTests
{
    [Theory]
    [InlineData("['abc']", new[] { "abc" })]
    [InlineData("[\"abc\"]", new[] { "abc" })]
    [InlineData("  [ 'a' , \"b\" ,\n 'c' , ]  ", new[] { "a", "b", "c" })]
    [InlineData("[]", new string[0])]
    [InlineData("[ ]", new string[0])]
    [InlineData("['']", new[] { "" })]
    [InlineData("['a' 'b', \"c\"'d']", new[] { "ab", "cd" })]
    public void TryParse_ListOfLiterals_ReturnsItems(string text, string[] expected)
    {
        PythonStringList.TryParse(text, out var items).Should().BeTrue();
        items.Should().Equal(expected);
    }

    [Theory]
    [InlineData(@"['a\nb']", "a\nb")]
    [InlineData(@"['a\tb\rc']", "a\tb\rc")]
    [InlineData(@"['back\\slash']", "back\\slash")]
    [InlineData(@"['it\'s']", "it's")]
    [InlineData(@"[""say \""hi\""""]", "say \"hi\"")]
    [InlineData(@"[""it's""]", "it's")]
    [InlineData(@"['\a\b\f\v']", "\a\b\f\v")]
    [InlineData(@"['\x41\x7e']", "A~")]
    [InlineData(@"['\u00e9\u20AC']", "é€")]
    [InlineData(@"['\U0001F600']", "\U0001F600")]
    [InlineData(@"['\101\0\7']", "A\0\a")]
    [InlineData(@"['\1012']", "A2")]
    [InlineData(@"['\d\w \N{BULLET}']", @"\d\w \N{BULLET}")]
    [InlineData("['line \\\ncontinued']", "line continued")]
    [InlineData("['line \\\r\ncontinued']", "line continued")]
    [InlineData(@"[r'\n\'x']", @"\n\'x")]
    [InlineData(@"[R""C:\dir""]", @"C:\dir")]
    [InlineData(@"[u'\u0041']", "A")]
    [InlineData("['''multi\nline with ' and \"\"''']", "multi\nline with ' and \"\"")]
    [InlineData("[\"\"\"triple \"\"\"]", "triple ")]
    [InlineData("['[not, a, list]']", "[not, a, list]")]
    public void TryParse_Escapes_DecodesAsPython(string text, string expected)
    {
        PythonStringList.TryParse(text, out var items).Should().BeTrue();
        items.Should().ContainSingle().Which.Should().Be(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("Question: ['a']")]
    [InlineData("['a'] trailing")]
    [InlineData("['a'")]
    [InlineData("['a")]
    [InlineData("['a\\']")]
    [InlineData("['a' 'b'")]
    [InlineData("['a',, 'b']")]
    [InlineData("[, 'a']")]
    [InlineData("['a' , b]")]
    [InlineData("[1, 2]")]
    [InlineData("[b'bytes']")]
    [InlineData("[f'{x}']")]
    [InlineData("['new\nline']")]
    [InlineData(@"['\x4']")]
    [InlineData(@"['\xZZ']")]
    [InlineData(@"['\u12']")]
    [InlineData(@"['\U00110000']")]
    [InlineData(@"['\UFFFFFFFF']")]
    [InlineData("[['nested']]")]
    public void TryParse_NotAListOfStringLiterals_ReturnsFalse(string text)
    {
        PythonStringList.TryParse(text, out var items).Should().BeFalse();
        items.Should().BeNull();
    }
}
