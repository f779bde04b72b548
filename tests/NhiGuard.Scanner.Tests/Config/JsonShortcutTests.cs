using NhiGuard.Detection;
using NhiGuard.Scanner.Config;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests.Config;

/// <summary>
/// A later version of a settings JSON file is parsed again only when its structure could show a
/// secret on the new lines; the shortcut must never skip a parse that would have found something.
/// </summary>
public sealed class JsonShortcutTests
{
    private static Func<int, int, bool> Only(int line) => (first, last) => first <= line && line <= last;

    private static bool MayMatter(string text, int line) => TextScanner.JsonStructureMayMatter(text, Only(line));

    [Fact]
    public void OnEveryLineOfEveryCorpusSettingsFileTheShortcutSkipsOnlyParsesThatFindNothing()
    {
        TextScanner scanner = Corpus.CatalogScanner();
        int skipped = 0, found = 0, files = 0;
        foreach (CorpusCase c in Corpus.ReadDirectory(RepositoryPaths.Corpus).Where(c => JsonConfigFormat.Instance.Handles(c.Path)))
        {
            files++;
            string text = Corpus.Expand(c);
            foreach (string variant in new[] { text, Reflowed(text) })
            {
                int lines = variant.Split('\n').Length;
                for (int line = 1; line <= lines; line++)
                {
                    IReadOnlyList<Finding> structural = scanner.ScanAddedWithStructure(c.Path, variant, [], Only(line));
                    if (!MayMatter(variant, line))
                    {
                        skipped++;
                        Assert.True(structural.Count == 0, $"{c.Path} line {line}: skipped, but the structure shows {string.Join(", ", structural.Select(f => f.RuleId))}\n{variant}");
                    }

                    found += structural.Count;
                }
            }
        }

        // Not vacuous: the corpus has settings files, lines the shortcut skips and structural findings it keeps.
        Assert.True(files > 5 && skipped > 50 && found > 5, $"{files} files, {skipped} lines skipped, {found} structural findings");
    }

    // The same file with each value on the line after its key, behind a colon line and a comment.
    private static string Reflowed(string text) => text.Replace("\": \"", "\"\n  :\n  // the value\n  \"");

    [Theory]
    [InlineData("{\n  \"Db\": { \"Password\": \"hunter2hunter2\" }\n}\n", 2)]
    [InlineData("{\n  \"Password\":\n    \"hunter2hunter2\"\n}\n", 3)]
    [InlineData("{\n  \"Password\"\n  :\n  // old one leaked\n  \"hunter2hunter2\"\n}\n", 5)]
    [InlineData("{\n  \"P\\u0061ssword\": \"hunter2hunter2\"\n}\n", 2)]
    [InlineData("{\n  \"Password\" /* set by CI */\n  : \"hunter2hunter2\"\n}\n", 3)]
    [InlineData("{\n  \"Api-Ke_y\": \"abc\"\n}\n", 2)]
    public void WhereAKeyOrItsFormatCouldMatterTheFileIsParsed(string text, int line) =>
        Assert.True(MayMatter(text, line));

    [Theory]
    [InlineData("{\n  \"Password\": \"x\",\n  \"Replicas\": \"3\"\n}\n", 3)]
    [InlineData("{\n  \"Passwords\": [\n    \"a\",\n    \"b\"\n  ]\n}\n", 4)]
    [InlineData("{\n  \"Logging\": {\n    \"Level\": \"Debug\"\n  }\n}\n", 3)]
    public void WhereNoKeyOfANewValueSoundsSecretTheParseIsSkipped(string text, int line) =>
        Assert.False(MayMatter(text, line));
}
