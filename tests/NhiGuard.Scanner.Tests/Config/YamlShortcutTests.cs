using NhiGuard.Detection;
using NhiGuard.TestSupport;

namespace NhiGuard.Scanner.Tests.Config;

/// <summary>
/// A later version of a YAML file is parsed again only when its structure could show a secret on
/// the new lines; the shortcut must never skip a parse that would have found something.
/// </summary>
public sealed class YamlShortcutTests
{
    private static Func<int, int, bool> Only(int line) => (first, last) => first <= line && line <= last;

    private static bool MayMatter(string text, int line) => TextScanner.YamlStructureMayMatter(text, Only(line));

    [Fact]
    public void OnEveryLineOfEveryCorpusYamlFileTheShortcutSkipsOnlyParsesThatFindNothing()
    {
        TextScanner scanner = Corpus.CatalogScanner();
        int skipped = 0, found = 0;
        foreach (CorpusCase c in Corpus.ReadDirectory(RepositoryPaths.Corpus).Where(c => c.Path.EndsWith(".yaml", StringComparison.Ordinal) || c.Path.EndsWith(".yml", StringComparison.Ordinal)))
        {
            string text = Corpus.Expand(c);
            int lines = text.Split('\n').Length;
            for (int line = 1; line <= lines; line++)
            {
                IReadOnlyList<Finding> structural = scanner.ScanAddedWithStructure(c.Path, text, [], Only(line));
                if (!MayMatter(text, line))
                {
                    skipped++;
                    Assert.True(structural.Count == 0, $"{c.Path} line {line}: skipped, but the structure shows {string.Join(", ", structural.Select(f => f.RuleId))}");
                }

                found += structural.Count;
            }
        }

        // Not vacuous: the corpus has lines the shortcut skips and structural findings it keeps.
        Assert.True(skipped > 50, $"only {skipped} lines skipped");
        Assert.True(found > 5, $"only {found} structural findings");
    }

    [Theory]
    [InlineData("db:\n  password: hunter2hunter2\n", 2)]
    [InlineData("password:\n  hunter2hunter2\n", 2)]
    [InlineData("password:\n# the old one was leaked\n  hunter2hunter2\n", 3)]
    [InlineData("client_secret: |\n  first\n    indented\n", 3)]
    [InlineData("services:\n  api:\n    environment:\n      - API_TOKEN=abc123\n", 4)]
    [InlineData("apiVersion: v1\nkind: Secret\ndata:\n  gh: Z2hwX2FiYw==\n", 4)]
    [InlineData("creds: {user: a,\n  x: b}\n", 2)]
    [InlineData("k: \"p\\u0061ss\"\nv: x\n", 2)]
    [InlineData("? complex\n: value\n", 2)]
    [InlineData("a:\n\tb: c\n", 2)]
    [InlineData("ap-i_ke-y: abc\n", 1)]
    [InlineData("\"db: password\": abc\n", 1)]
    [InlineData("env:\n  - name: DB_PASSWORD\n    value: abc\n", 3)]
    public void WhereAKeyOrItsFormatCouldMatterTheFileIsParsed(string text, int line) =>
        Assert.True(MayMatter(text, line));

    [Theory]
    [InlineData("spec:\n  replicas: 3\n  image: orders:1.2\n", 2)]
    [InlineData("env:\n  - name: CACHE_SIZE\n    value: \"512\"\n", 3)]
    [InlineData("password: x\nreplicas: 3\n", 2)]
    [InlineData("api:\n  password: x\nweb:\n  port: 8080\n", 4)]
    [InlineData("spec:\n  image: vault-token-helper:1.2\n", 2)]
    [InlineData("notes: rotate the api key monthly\n", 1)]
    public void WhereNoKeyAboveANewLineSoundsSecretTheParseIsSkipped(string text, int line) =>
        Assert.False(MayMatter(text, line));
}
