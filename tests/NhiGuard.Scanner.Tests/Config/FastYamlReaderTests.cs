using System.Text;
using NhiGuard.Scanner.Config;
using NhiGuard.TestSupport;
using Xunit.Abstractions;

namespace NhiGuard.Scanner.Tests.Config;

/// <summary>
/// The fast YAML reader must give exactly YamlDotNet's entries whenever it answers, and answer for most
/// real files: compared on the corpus, on every YAML text of the YAML tests, on generated documents, and
/// on every line prefix and small mutation of all of those.
/// </summary>
public sealed class FastYamlReaderTests(ITestOutputHelper output)
{
    /// <summary>The YAML texts of YamlConfigFormatTests and YamlShortcutTests, and odd corners of the subset.</summary>
    private static readonly string[] HandWritten =
    [
        "spring:\n  datasource:\n    url: jdbc:postgresql://db/app\n    password: s3cr3t-value\nclients:\n  - name: one\n    secret: \"first fake\"\n  - 'second'\nport: 8080\nempty:",
        "a: \"dq \\\"esc\\\" \\u0041\"\nb: 'it''s'\nc: {x: fx, y: [p, 'q']}\nd: |\n  line one\n  line two\ne: >-\n  folded\n  text\nf: &anchor !!str tagged\n",
        "\uFEFFfirst: 😀 ünï\n---\nsecond:\n  key: \"välüe 😀\"\n...\n---\nthird: x\n",
        "apiVersion: v1\nmetadata:\n  name: db\ndata:\n  password: czNjcjN0LXZhbHVl\n  binary: //4A\nstringData:\n  token: plain-fake\nkind: Secret\n---\nkind: ConfigMap\ndata:\n  password: czNjcjN0LXZhbHVl",
        "services:\n  db:\n    image: postgres\n    environment:\n      - POSTGRES_USER=app\n      - \"POSTGRES_PASSWORD=s3cr3t-value\"\n      - 'EMPTY='\n      - NO_VALUE\n  api:\n    environment:\n      API_TOKEN: fake-token",
        "services:\n  s:\n    environment:\n      - \"PASS=a\\tb\"\n",
        "base: &b\n  user: u\n? [complex, key]\n: ignored\ncopy: *b\nafter: kept\n",
        "good: value\nnested:\n  ok: yes\n bad: [unclosed\n",
        "\t- : : [",
        "just a scalar",
        "db:\n  password: hunter2hunter2\n",
        "password:\n  hunter2hunter2\n",
        "password:\n# the old one was leaked\n  hunter2hunter2\n",
        "client_secret: |\n  first\n    indented\n",
        "services:\n  api:\n    environment:\n      - API_TOKEN=abc123\n",
        "apiVersion: v1\nkind: Secret\ndata:\n  gh: Z2hwX2FiYw==\n",
        "creds: {user: a,\n  x: b}\n",
        "k: \"p\\u0061ss\"\nv: x\n",
        "? complex\n: value\n",
        "a:\n\tb: c\n",
        "ap-i_ke-y: abc\n",
        "spec:\n  replicas: 3\n  image: orders:1.2\n",
        "env:\n  - name: CACHE_SIZE\n    value: \"512\"\n",
        "password: x\nreplicas: 3\n",
        "api:\n  password: x\nweb:\n  port: 8080\n",
        "a:\n- x\n- y\nb:\n  - z\nc: d\n",
        "- a: 1\n  b:\n  - x\n  - y\n- c\n-\n- - nested\n",
        "-   a: 1\n    b: 2\n-\n  c: 3\n",
        "key  : spaced key\n'quoted key': 1\n\"dq key\" : 2\n",
        "url: http://x/y?z=1#frag\nhash: a#b\ncomment: a #b\ncolon: a:b\nbrackets: a[0] {x} y,z\n",
        "a: 'x'#c\nb: \"x\"#c\n",
        "a: b: c\n",
        "a: b:\n",
        "a: - b\n",
        "---\n...\n---\n---\na: 1\n...\n",
        "...\na: 1\n",
        "a: 1\n...\nb: 2\n",
        "--- # comment\na: 1\n--- \nb: 2\n",
        "---x: 1\n...x: 2\n",
        "  indented: root\n  second: key\n",
        "  indented: root\nnot: allowed\n",
        "a: 1\n  b: 2\n",
        "a:\n    b: 1\n  c: 2\n",
        "a:\r\n  b: \"crlf\"\r\n  c: 'x'\r\n",
        "a: 1\rb: 2\r",
        "a: \"\\x41\\u00e9\\U0001F600\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\\"\\/\\\\\\N\\_\\L\\P\"\n",
        "a: \"\\uD83D\\uDE00\"\nb: x\n",
        "a: \"\\q\"\nb: x\n",
        "a: \"\\UFFFFFFFF\"\nb: x\n",
        "a: \"\\\ttab escape\"\nb: \"raw\ttab\"\nc: 'raw\ttab'\n",
        "a: x\t# tab before comment\n",
        "a:\tx\n",
        "a: x \t\n",
        "a: \u0085x\n",
        "a: x\u2028b: y\n",
        "a: x\0\n",
        "a: -1\nb: --flag\nc: -\n",
        "a: ~\nb: null\nc:\nd: ''\ne: \"\"\n",
        "a: @x\n",
        "a: `x\n",
        "a: %x\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: ?x\nb: :x\n",
        "a: x\n# comment\n   # indented comment\nb: y # trailing\n",
        "a: plain\n  continued\n",
        "a: plain\n\n  continued after blank\n",
        "- plain\n  continued\n",
        "a: 'multi\n  line'\n",
        "a: \"multi \\\n  line\"\n",
        "a\n",
        "a:b\n",
        "- a\nb: c\n",
        "a: 1\n- b\n",
        "- \"quoted\": key\n- 'q' : k\n",
        "x: 1\n\n\n",
        "   \n\n",
        "# only a comment\n",
        "",
        "a:   \n  b: 1\nc:  # comment\n- x\n",
        "key *x: v\n",
        "- a *b: c\n",
        "a: b *c: d\n",
        "schedule: 0 * * * *\n- a *b\n",
        "k: x *y:z\nj: x *y :\n",
        "-   \n-   x\n-    y: 1\n     z: 2\n",
        "a: x\u00A0\nb: x\u3000\nc: \u00A0x\n",
        "<<: merge\ntls.crt: a\nkubernetes.io/name: b\n\"...\": c\n",
        new string('k', 990) + ": fits\n",
        new string('k', 1100) + ": too long for a simple key\n",
        "- " + new string('k', 1100) + ": too long for a simple key\n",
        string.Concat(Enumerable.Range(0, 300).Select(i => new string(' ', i) + "k:\n")) + new string(' ', 300) + "k: deep\n",
    ];

    private static readonly string[] Words =
    [
        "name", "value", "password", "token", "client_secret", "api-key", "url", "host", "port", "image", "replicas",
        "kind", "data", "services", "environment", "env", "spec", "metadata", "apiVersion", "labels", "a", "b",
    ];

    private static readonly string[] OddKeys =
    [
        "a#b", "a #b", "ключ", "-x", "tls.crt", "kubernetes.io/name", "...x", "---x", "<<", "?x", "=", "@k", "{k}", "k}",
        "'k''s'", "\"k\\\"q\"", "''", "k'", "\"\"",
    ];

    private static readonly string[] Plains =
    [
        "value", "s3cr3t-value", "hunter2 hunter2", "a:b", "http://example.com/x?y=1#z", "a#b", "a [b] {c}", "it's",
        "say \"hi\"", "-1", "--flag", "~", "null", "1.5", "a, b", "日本語 😀", "C:\\path\\to", "...", "---", "a  b",
        "KEY=value", "=", "x=", "a: b", "a:", "0 * * * *", "x *y: z", "x *y:z", "@at", "`tick", "%pct", "!tag", "&anchor", "*alias", "|", ">-", "[flow]",
        "{flow: 1}", "?q", ":c", "a\tb", "ünï", "Secret", "c2VjcmV0LXZhbHVl", "dG9r", "  ", "x ", "- item", "#x", "x\u00A0", "\u3000x", "a\\b", "<<",
    ];

    private static readonly string[] Quoted =
    [
        "'x'", "'it''s'", "''", "' spaced '", "'a # b'", "'a: b'", "'\ttab'", "'KEY=v'", "\"x\"", "\"\"", "\"a\\\"b\"",
        "\"\\n\\t\\\\\"", "\"\\x41\"", "\"\\u00e9\"", "\"\\U0001F600\"", "\"\\uD83D\\uDE00\"", "\"\\q\"", "\"\\/\"",
        "\"a\\ b\"", "\"\\_\\N\\L\\P\"", "\"KEY=a\\tb\"", "\"a: b\"", "\"a # b\"", "'x' y", "\"x\"#c", "'x'#c", "'open",
        "\"open", "\"c2VjcmV0\"",
    ];

    [Fact]
    public void OnTheCorpusTheFastReaderAgreesWithYamlDotNetAndReadsMostFiles()
    {
        string[] texts = CorpusYaml().ToArray();
        (int compared, int handled) = CompareAll(texts, prefixes: true);
        int wholeHandled = texts.Count(t => FastYamlReader.TryRead(t) is not null);
        output.WriteLine($"corpus: {texts.Length} files, {wholeHandled} read by the fast reader; with line prefixes {compared} texts, {handled} read");
        Assert.True(texts.Length > 50, $"only {texts.Length} corpus YAML files");
        Assert.True(wholeHandled * 20 >= texts.Length * 11, $"the fast reader read only {wholeHandled} of {texts.Length} corpus YAML files");
    }

    [Fact]
    public void OnHandWrittenTextsTheFastReaderAgreesWithYamlDotNet()
    {
        (int compared, int handled) = CompareAll(HandWritten, prefixes: true);
        output.WriteLine($"hand-written: {HandWritten.Length} texts; with line prefixes {compared} texts, {handled} read");
        Assert.True(handled * 3 >= compared, $"the fast reader read only {handled} of {compared}");
    }

    [Fact]
    public void OnGeneratedDocumentsTheFastReaderAgreesWithYamlDotNet()
    {
        List<string> texts = Generated(new Random(20240611), 400);
        (int compared, int handled) = CompareAll(texts, prefixes: true);
        int wholeHandled = texts.Count(t => FastYamlReader.TryRead(t) is not null);
        output.WriteLine($"generated: {texts.Count} documents, {wholeHandled} read by the fast reader; with line prefixes {compared} texts, {handled} read");
        Assert.True(wholeHandled * 4 >= texts.Count, $"the fast reader read only {wholeHandled} of {texts.Count} generated documents");
    }

    [Fact]
    public void OnMutatedTextsTheFastReaderAgreesWithYamlDotNet()
    {
        var random = new Random(7);
        const string alphabet = " :#-'\"\\\t\n\r[]{}&*!|>?%@`,=.xX0~";
        var mutants = new List<string>();
        foreach (string text in CorpusYaml().Concat(HandWritten).Concat(Generated(new Random(11), 100)).Where(t => t.Length > 0))
        {
            for (int n = 0; n < 12; n++)
            {
                var sb = new StringBuilder(text);
                for (int edits = 1 + random.Next(3); edits > 0 && sb.Length > 0; edits--)
                {
                    int at = random.Next(sb.Length);
                    switch (random.Next(3))
                    {
                        case 0:
                            sb.Insert(at, alphabet[random.Next(alphabet.Length)]);
                            break;
                        case 1:
                            sb.Remove(at, 1);
                            break;
                        default:
                            sb[at] = alphabet[random.Next(alphabet.Length)];
                            break;
                    }
                }

                mutants.Add(sb.ToString());
            }
        }

        (int compared, int handled) = CompareAll(mutants, prefixes: false);
        output.WriteLine($"mutated: {compared} texts, {handled} read by the fast reader");
        Assert.True(handled * 5 >= compared, $"the fast reader read only {handled} of {compared}");
    }

    [Theory]
    [InlineData("creds: {user: a, x: b}\n")]
    [InlineData("list: [a, b]\n")]
    [InlineData("base: &b x\n")]
    [InlineData("copy: *b\n")]
    [InlineData("f: !!str tagged\n")]
    [InlineData("d: |\n  line one\n")]
    [InlineData("e: >-\n  folded\n")]
    [InlineData("a: plain\n  continued\n")]
    [InlineData("a: 'quoted\n  continued'\n")]
    [InlineData("a:\n\tb: c\n")]
    [InlineData("a:\tb\n")]
    [InlineData("? complex\n: value\n")]
    [InlineData("%YAML 1.1\n---\na: 1\n")]
    [InlineData("a: b: c\n")]
    [InlineData("a: \"\\q\"\n")]
    [InlineData("a: 1\rb: 2\r")]
    [InlineData("a: x\u2028b: y\n")]
    [InlineData("password:\n  hunter2\n")]
    [InlineData("just a scalar")]
    [InlineData("- - nested\n")]
    [InlineData("a: 1\n...\nb: 2\n")]
    public void OutsideTheSubsetTheFastReaderGivesUp(string text)
    {
        Assert.Null(FastYamlReader.TryRead(text));
        Assert.Equal(YamlConfigFormat.ReadWithYamlDotNet(text), YamlConfigFormat.Instance.Read(text));
    }

    [Fact]
    public void KeyPathsIndexSequenceItems()
    {
        string text = "spring:\n  clients:\n    - name: one\n      secret: s1\n    - two\n  port: 8080\n";
        AssertRead(
            text,
            new ConfigEntry("spring.clients.0.name", "one", 31, 3),
            new ConfigEntry("spring.clients.0.secret", "s1", 49, 2),
            new ConfigEntry("spring.clients.1", "two", 58, 3),
            new ConfigEntry("spring.port", "8080", 70, 4));
    }

    [Fact]
    public void QuotedValuesSpanTheirContentWithoutQuotes()
    {
        string text = "a: \"dq \\\"x\\\"\"\nb: 'it''s'\nc: ''\n";
        AssertRead(
            text,
            new ConfigEntry("a", "dq \"x\"", 4, 8),
            new ConfigEntry("b", "it's", 18, 5),
            new ConfigEntry("c", "", 29, 0));
    }

    [Fact]
    public void CommentsEndPlainValues()
    {
        string text = "a: value # comment\nb: a#b   \n# line\nc: 'q' # after quotes\n";
        AssertRead(
            text,
            new ConfigEntry("a", "value", 3, 5),
            new ConfigEntry("b", "a#b", 22, 3),
            new ConfigEntry("c", "q", 40, 1));
    }

    [Fact]
    public void WindowsLineEndingsAndAByteOrderMarkKeepOffsetsInTheText()
    {
        string text = "\uFEFFdb:\r\n  user: app\r\n  password: \"s3cr3t\"\r\n";
        AssertRead(
            text,
            new ConfigEntry("db.user", "app", 14, 3),
            new ConfigEntry("db.password", "s3cr3t", 32, 6));
    }

    [Fact]
    public void KubernetesSecretsAndComposeEnvironmentsReadAsWithYamlDotNet()
    {
        string text = "kind: Secret\ndata:\n  token: dG9rZW4tdmFsdWU=\n---\nservices:\n  api:\n    environment:\n      - \"API_KEY=abc\"\n      - PLAIN=x\n";
        AssertRead(
            text,
            new ConfigEntry("kind", "Secret", 6, 6),
            new ConfigEntry("data.token", "token-value", 28, 16, Decoded: true),
            new ConfigEntry("services.api.environment.API_KEY", "abc", 100, 3),
            new ConfigEntry("services.api.environment.PLAIN", "x", 119, 1));
    }

    private static void AssertRead(string text, params ConfigEntry[] expected)
    {
        IReadOnlyList<ConfigEntry>? fast = FastYamlReader.TryRead(text);
        Assert.NotNull(fast);
        Assert.Equal(expected, fast);
        Assert.Equal(expected, YamlConfigFormat.ReadWithYamlDotNet(text));
    }

    private static IEnumerable<string> CorpusYaml() =>
        Corpus.ReadDirectory(RepositoryPaths.Corpus)
            .Where(c => c.Path.EndsWith(".yaml", StringComparison.Ordinal) || c.Path.EndsWith(".yml", StringComparison.Ordinal))
            .Select(Corpus.Expand);

    /// <summary>Compares both readers on each text (and, when asked, on each text cut after each of its lines).</summary>
    private static (int Compared, int Handled) CompareAll(IEnumerable<string> texts, bool prefixes)
    {
        int compared = 0, handled = 0;
        foreach (string text in texts)
        {
            foreach (string t in prefixes ? Prefixes(text) : [text])
            {
                compared++;
                IReadOnlyList<ConfigEntry>? fast = FastYamlReader.TryRead(t);
                if (fast is null)
                {
                    continue;
                }

                handled++;
                IReadOnlyList<ConfigEntry> reference = YamlConfigFormat.ReadWithYamlDotNet(t);
                if (!fast.SequenceEqual(reference))
                {
                    Assert.Fail($"The readers disagree on:\n{Escape(t)}\nfast:      {Describe(fast)}\nYamlDotNet: {Describe(reference)}");
                }
            }
        }

        return (compared, handled);
    }

    private static IEnumerable<string> Prefixes(string text)
    {
        for (int i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            yield return text[..(i + 1)];
        }

        yield return text;
    }

    private static string Describe(IReadOnlyList<ConfigEntry> entries) =>
        string.Join("; ", entries.Select(e => $"{e.Key}={Escape(e.Value)}@{e.Start}+{e.Length}{(e.Decoded ? " decoded" : "")}"));

    private static string Escape(string s) =>
        s.Replace("\\", "\\\\").Replace("\r", "\\r").Replace("\n", "\\n\n").Replace("\t", "\\t");

    /// <summary>Documents of every kind the generators make, each varied.</summary>
    private static List<string> Generated(Random random, int count)
    {
        var texts = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            string text = (i % 8) switch
            {
                0 => KubernetesSecret(random),
                1 => Compose(random),
                2 => Deploy(random, 5 + random.Next(20)),
                _ => Document(random),
            };
            texts.Add(Vary(random, text));
        }

        return texts;
    }

    /// <summary>Line endings, a BOM, leading comments and document markers around a document.</summary>
    private static string Vary(Random r, string text)
    {
        if (r.Next(6) == 0)
        {
            text = "---\n" + text;
        }

        if (r.Next(8) == 0)
        {
            text += "...\n";
        }

        if (r.Next(8) == 0)
        {
            text = "# generated\n\n" + text;
        }

        if (r.Next(5) == 0)
        {
            text = text.Replace("\n", "\r\n");
        }

        if (r.Next(8) == 0)
        {
            text = "\uFEFF" + text;
        }

        return text;
    }

    private static string Document(Random r)
    {
        var sb = new StringBuilder();
        int documents = r.Next(6) == 0 ? 2 : 1;
        for (int d = 0; d < documents; d++)
        {
            if (d > 0)
            {
                sb.Append(r.Next(3) == 0 ? "--- # next\n" : "---\n");
            }

            int root = r.Next(10) == 0 ? 2 : 0;
            if (r.Next(5) == 0)
            {
                Sequence(r, sb, root, 0);
            }
            else
            {
                Mapping(r, sb, root, 0, inlineFirst: false);
            }
        }

        return sb.ToString();
    }

    private static void Mapping(Random r, StringBuilder sb, int column, int depth, bool inlineFirst)
    {
        int keys = 1 + r.Next(4);
        for (int k = 0; k < keys; k++)
        {
            if (k > 0 || !inlineFirst)
            {
                Filler(r, sb, column);
                sb.Append(' ', column);
            }

            sb.Append(Key(r)).Append(r.Next(15) == 0 ? " :" : ":");
            int choice = depth >= 4 ? r.Next(6) : r.Next(10);
            if (choice < 5)
            {
                sb.Append(' ').Append(Scalar(r)).Append(Comment(r)).Append('\n');
            }
            else if (choice == 5)
            {
                sb.Append(Comment(r)).Append('\n');
            }
            else if (choice < 8)
            {
                sb.Append(Comment(r)).Append('\n');
                Mapping(r, sb, column + Step(r), depth + 1, inlineFirst: false);
            }
            else
            {
                sb.Append(Comment(r)).Append('\n');
                Sequence(r, sb, r.Next(3) == 0 ? column : column + Step(r), depth + 1);
            }
        }
    }

    private static void Sequence(Random r, StringBuilder sb, int column, int depth)
    {
        int items = 1 + r.Next(4);
        for (int i = 0; i < items; i++)
        {
            Filler(r, sb, column);
            sb.Append(' ', column).Append('-');
            int choice = depth >= 4 ? r.Next(5) : r.Next(9);
            if (choice < 4)
            {
                sb.Append(' ').Append(Scalar(r)).Append(Comment(r)).Append('\n');
            }
            else if (choice == 4)
            {
                sb.Append(Comment(r)).Append('\n');
            }
            else if (choice < 7)
            {
                // "- key: value": the mapping's keys sit at the first key's column.
                int spaces = 1 + (r.Next(4) == 0 ? r.Next(3) : 0);
                sb.Append(' ', spaces);
                Mapping(r, sb, column + 1 + spaces, depth + 1, inlineFirst: true);
            }
            else if (choice == 7)
            {
                sb.Append(Comment(r)).Append('\n');
                Mapping(r, sb, column + Step(r), depth + 1, inlineFirst: false);
            }
            else
            {
                sb.Append(Comment(r)).Append('\n');
                Sequence(r, sb, column + Step(r), depth + 1);
            }
        }
    }

    private static int Step(Random r) => r.Next(4) == 0 ? 1 + r.Next(4) : 2;

    private static void Filler(Random r, StringBuilder sb, int column)
    {
        switch (r.Next(12))
        {
            case 0:
                sb.Append('\n');
                break;
            case 1:
                sb.Append(' ', r.Next(column + 3)).Append("# a comment: with - things\n");
                break;
            case 2:
                sb.Append("   \n");
                break;
        }
    }

    private static string Key(Random r) => r.Next(16) switch
    {
        0 => "'" + Words[r.Next(Words.Length)] + " key'",
        1 => "\"" + Words[r.Next(Words.Length)] + "\\tk\"",
        2 => Words[r.Next(Words.Length)] + " " + Words[r.Next(Words.Length)],
        3 => Words[r.Next(Words.Length)] + "[0]",
        4 => "a:b",
        5 => OddKeys[r.Next(OddKeys.Length)],
        _ => Words[r.Next(Words.Length)],
    };

    private static string Scalar(Random r)
    {
        string s = r.Next(3) == 0 ? Quoted[r.Next(Quoted.Length)] : Plains[r.Next(Plains.Length)];
        return r.Next(8) == 0 ? s + "  " : s;
    }

    private static string Comment(Random r) => r.Next(5) switch
    {
        0 => " # comment",
        1 => "   #c: - x",
        _ => "",
    };

    private static string KubernetesSecret(Random r)
    {
        var sb = new StringBuilder("apiVersion: v1\n");
        if (r.Next(2) == 0)
        {
            sb.Append("kind: Secret\n");
        }

        sb.Append("metadata:\n  name: db\n  labels:\n    app: orders\ntype: Opaque\ndata:\n");
        for (int i = 0; i < 1 + r.Next(4); i++)
        {
            string value = Convert.ToBase64String(Encoding.UTF8.GetBytes("secret-" + r.Next(100000)));
            value = r.Next(4) switch
            {
                0 => "\"" + value + "\"",
                1 => value.TrimEnd('='),
                _ => value,
            };
            sb.Append("  ").Append(Words[r.Next(Words.Length)]).Append(i).Append(": ").Append(value).Append('\n');
        }

        if (r.Next(2) == 0)
        {
            sb.Append("kind: Secret\n");
        }

        if (r.Next(3) == 0)
        {
            sb.Append("---\nkind: ConfigMap\ndata:\n  password: c2VjcmV0\n");
        }

        return sb.ToString();
    }

    private static string Compose(Random r)
    {
        var sb = new StringBuilder("version: \"3.8\"\nservices:\n");
        for (int s = 0; s < 1 + r.Next(3); s++)
        {
            sb.Append("  svc").Append(s).Append(":\n    image: contoso/app:1.").Append(s).Append('\n');
            if (r.Next(3) == 0)
            {
                sb.Append("    environment:\n      TOKEN: abc").Append(s).Append('\n');
                continue;
            }

            sb.Append("    environment:\n");
            string indent = r.Next(3) == 0 ? "    " : "      ";
            for (int e = 0; e < 1 + r.Next(4); e++)
            {
                sb.Append(indent).Append("- ").Append(r.Next(6) switch
                {
                    0 => "\"KEY" + e + "=quoted value\"",
                    1 => "'EMPTY" + e + "='",
                    2 => "NO_VALUE" + e,
                    3 => "\"ESC" + e + "=a\\tb\"",
                    _ => "KEY" + e + "=value" + e,
                }).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>A values file like the benchmarks' generated deploy/*.yaml.</summary>
    private static string Deploy(Random r, int variables)
    {
        var sb = new StringBuilder("replicaCount: 2\nimage:\n  repository: contoso/api\n  tag: \"1.4.2\"\nenv:\n");
        for (int i = 0; i < variables; i++)
        {
            sb.Append("  - name: ").Append(Words[r.Next(Words.Length)].ToUpperInvariant()).Append('_').Append(i)
                .Append("\n    value: \"").Append(Words[r.Next(Words.Length)]).Append('-').Append(r.Next(1000)).Append("\"\n");
        }

        return sb.ToString();
    }
}
