using System.Diagnostics;
using System.Globalization;
using System.Text;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Benchmarks;

/// <summary>
/// Builds a synthetic repository through <c>git fast-import</c>: mixed code and config files of
/// realistic sizes (a few large ones), small edits per commit, files added, deleted and renamed,
/// feature branches merged back, and seeded secrets that are added and mostly removed later.
/// </summary>
internal sealed class HistoryRepositoryGenerator(int seed)
{
    // Bump when the generated history changes, so a cached repository is rebuilt.
    public const int Version = 3;

    private static readonly string[] Words =
    [
        "customer", "order", "invoice", "token", "client", "request", "response", "handler", "cache", "tenant",
        "payment", "retry", "policy", "options", "settings", "logger", "metrics", "session", "identity", "scope",
        "secret", "password", "key", "user", "account", "service", "queue", "message", "batch", "report",
    ];

    // Names of config keys and variables: what config files hold besides secrets.
    private static readonly string[] Names =
    [
        "customer", "order", "invoice", "region", "client", "request", "timeout", "handler", "cache", "tenant",
        "payment", "retry", "policy", "options", "feature", "logger", "metrics", "locale", "endpoint", "scope",
    ];

    private readonly Random _random = new(seed);
    private readonly ExampleTemplate _template = new(seed);
    private readonly Dictionary<string, List<string>> _files = new(StringComparer.Ordinal);
    private readonly List<string> _secretFiles = [];
    private int _nextFile;

    public int Seeded { get; private set; }

    /// <summary>Seeded secret lines in the last commit's tree (an edit may have overwritten some without a removal commit).</summary>
    public int StillInHead => _files.Values.Sum(lines => lines.Count(IsSecretLine));

    /// <summary>Writes <paramref name="commits"/> commits into a new repository at <paramref name="root"/>.</summary>
    public void Generate(string root, int commits)
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Run("git", ["init", "-q", "-b", "main", root], Path.GetTempPath());
        var psi = new ProcessStartInfo("git") { WorkingDirectory = root, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "fast-import", "--quiet", "--done" })
        {
            psi.ArgumentList.Add(a);
        }

        using Process import = Process.Start(psi)!;
        var input = new BufferedStream(import.StandardInput.BaseStream, 1 << 20);
        var writer = new FastImport(input);

        for (int i = 0; i < 300; i++)
        {
            NewFile();
        }

        int mark = writer.Commit("refs/heads/main", null, [], "initial import", _files.Keys.Select(p => (p, (string?)Content(p))).ToList());
        int mainTip = mark;
        int made = 1;
        while (made < commits)
        {
            if (made % 50 == 25 && commits - made > 12)
            {
                (mainTip, int used) = FeatureBranch(writer, mainTip, made);
                made += used;
                continue;
            }

            mainTip = writer.Commit("refs/heads/main", mainTip, [], $"change {made}", Change(exclude: null));
            made++;
        }

        writer.Done();
        input.Flush();
        import.StandardInput.Close();
        import.WaitForExit();
        if (import.ExitCode != 0)
        {
            throw new InvalidOperationException("git fast-import failed");
        }

        Run("git", ["reset", "-q", "--hard"], root);
        Run("git", ["gc", "-q"], root);
    }

    // Alternating commits on main and on a branch that owns a few files, then a merge commit.
    private (int MainTip, int Used) FeatureBranch(FastImport writer, int mainTip, int made)
    {
        var owned = _files.Keys.OrderBy(_ => _random.Next()).Take(3).ToHashSet(StringComparer.Ordinal);
        string branch = $"refs/heads/feature/{made}";
        int sideTip = mainTip;
        int used = 0;
        for (int i = 0; i < 10; i++, used++)
        {
            if (i % 2 == 0)
            {
                mainTip = writer.Commit("refs/heads/main", mainTip, [], $"change {made + used}", Change(exclude: owned));
            }
            else
            {
                string path = owned.ElementAt(_random.Next(owned.Count));
                Edit(path);
                sideTip = writer.Commit(branch, sideTip, [], $"feature {made} step {i}", [(path, Content(path))]);
            }
        }

        var merged = owned.Where(_files.ContainsKey).Select(p => (p, (string?)Content(p))).ToList();
        mainTip = writer.Commit("refs/heads/main", mainTip, [sideTip], $"Merge feature {made}", merged);
        return (mainTip, used + 1);
    }

    private List<(string Path, string? Content)> Change(HashSet<string>? exclude)
    {
        var changes = new List<(string, string?)>();
        int roll = _random.Next(100);
        if (roll < 8)
        {
            string path = NewFile();
            changes.Add((path, Content(path)));
            return changes;
        }

        if (roll < 9 && _files.Count > 200)
        {
            string victim = Pick(exclude);
            _files.Remove(victim);
            _secretFiles.Remove(victim);
            changes.Add((victim, null));
            return changes;
        }

        if (roll < 10)
        {
            string from = Pick(exclude);
            string to = Path.ChangeExtension(from, null) + "-renamed" + Path.GetExtension(from);
            if (!_files.ContainsKey(to))
            {
                _files[to] = _files[from];
                _files.Remove(from);
                if (_secretFiles.Remove(from))
                {
                    _secretFiles.Add(to);
                }

                changes.Add((from, null));
                changes.Add((to, Content(to)));
                return changes;
            }
        }

        int count = 1 + _random.Next(4);
        for (int i = 0; i < count; i++)
        {
            string path = Pick(exclude);
            Edit(path);
            if (_random.Next(120) == 0)
            {
                AddSecret(path);
            }
            else if (_secretFiles.Count > 0 && _random.Next(150) == 0)
            {
                RemoveSecret(_secretFiles[_random.Next(_secretFiles.Count)], changes);
            }

            changes.Add((path, Content(path)));
        }

        return changes.DistinctBy(c => c.Item1).ToList();
    }

    private string Pick(HashSet<string>? exclude)
    {
        while (true)
        {
            string path = _files.Keys.ElementAt(_random.Next(_files.Count));
            if (exclude is null || !exclude.Contains(path))
            {
                return path;
            }
        }
    }

    // Most commits touch a handful of lines: replace some, insert a few, sometimes delete one.
    private void Edit(string path)
    {
        List<string> lines = _files[path];
        int edits = 1 + _random.Next(8);
        for (int e = 0; e < edits; e++)
        {
            int at = _random.Next(Math.Max(1, lines.Count));
            switch (_random.Next(10))
            {
                case < 5 when lines.Count > 0:
                    lines[at] = Line(path);
                    break;
                case < 8:
                    lines.Insert(Math.Min(at, lines.Count), Line(path));
                    break;
                default:
                    if (lines.Count > 20)
                    {
                        lines.RemoveAt(at);
                    }

                    break;
            }
        }
    }

    private void AddSecret(string path)
    {
        string secret = (Seeded % 3) switch
        {
            0 => _template.Expand("{{github:ghp}}"),
            1 => _template.Expand("sk_live_{{rand:alnum:24}}"),
            _ => _template.Expand("xoxb-{{rand:digits:12}}-{{rand:digits:13}}-{{rand:alnum:24}}"),
        };
        string line = Path.GetExtension(path) switch
        {
            ".json" => $"  \"ApiToken{Seeded}\": \"{secret}\",",
            ".yaml" => $"  api_token_{Seeded}: \"{secret}\"",
            ".md" => $"Use the token `{secret}` for the staging API.",
            _ => $"    private const string ApiToken{Seeded} = \"{secret}\";",
        };
        List<string> lines = _files[path];
        lines.Insert(_random.Next(Math.Max(1, lines.Count)), line);
        Seeded++;
        if (!_secretFiles.Contains(path))
        {
            _secretFiles.Add(path);
        }
    }

    // "Removed" the way people do it: the line goes, the history keeps it.
    private void RemoveSecret(string path, List<(string, string?)> changes)
    {
        if (!_files.TryGetValue(path, out List<string>? lines))
        {
            return;
        }

        lines.RemoveAll(IsSecretLine);
        _secretFiles.Remove(path);
        changes.Add((path, Content(path)));
    }

    private static bool IsSecretLine(string line) =>
        line.Contains("ApiToken", StringComparison.Ordinal) || line.Contains("api_token_", StringComparison.Ordinal) || line.Contains("Use the token", StringComparison.Ordinal);

    private string NewFile()
    {
        int n = _nextFile++;
        int project = n / 200;
        (string path, int lines) = _random.Next(100) switch
        {
            < 55 => ($"src/Project{project}/Services/Service{n}.cs", 60 + _random.Next(400)),
            < 65 => ($"src/Project{project}/appsettings.{n}.json", 30 + _random.Next(80)),
            < 75 => ($"deploy/project{project}/values-{n}.yaml", 40 + _random.Next(120)),
            < 85 => ($"docs/project{project}/page{n}.md", 30 + _random.Next(100)),
            < 97 => ($"web/project{project}/module{n}.js", 40 + _random.Next(200)),
            _ => ($"src/Project{project}/Generated/Big{n}.cs", 2000 + _random.Next(2000)),
        };
        _files[path] = Enumerable.Range(0, lines).Select(_ => Line(path)).ToList();
        return path;
    }

    private string Content(string path) => string.Join('\n', _files[path]) + "\n";

    private string Line(string path) => Path.GetExtension(path) switch
    {
        ".json" => $"  \"{Pascal(Names)}{_random.Next(1000)}\": {{ \"Url\": \"https://{Word()}.contoso.com/{Word()}\", \"TimeoutSeconds\": {_random.Next(1, 120)} }},",
        ".yaml" => $"  - name: {Name().ToUpperInvariant()}_{Name().ToUpperInvariant()}\n    value: \"{Word()}-{_random.Next(1000)}\"",
        ".md" => $"The {Word()} {Word()} sends a {Word()} to the {Word()} service; set `{Pascal()}` in the {Word()} settings.",
        ".js" => $"  const {Word()}{_random.Next(100)} = await axios.get(`/api/${{{Word()}}}/{Word()}`, {{ timeout: {_random.Next(100, 9000)} }});",
        _ => _random.Next(4) switch
        {
            0 => $"        _logger.LogInformation(\"Processing {{Id}} with {Word()} {Word()}\", {Word()}Id);",
            1 => $"        var {Word()}Key = _configuration[\"{Pascal()}:{Pascal()}\"] ?? throw new InvalidOperationException(\"missing {Word()}\");",
            2 => $"        var response = await _http.GetAsync($\"/api/{Word()}/{{{Word()}Id}}?count={{{Word()}Count}}\");",
            _ => $"        // {Word()} the {Word()} before the {Word()} is {Word()}ed.",
        },
    };

    private string Word() => Words[_random.Next(Words.Length)];

    private string Name() => Names[_random.Next(Names.Length)];

    private string Pascal(string[]? from = null)
    {
        from ??= Words;
        string a = from[_random.Next(from.Length)], b = from[_random.Next(from.Length)];
        return char.ToUpperInvariant(a[0]) + a[1..] + char.ToUpperInvariant(b[0]) + b[1..];
    }

    /// <summary>Runs a program to completion; a non-zero exit is an exception.</summary>
    internal static void Run(string file, string[] args, string directory)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = directory, UseShellExecute = false };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed");
        }
    }

    /// <summary>The fast-import stream: commits with inline file contents.</summary>
    private sealed class FastImport(Stream output)
    {
        private static readonly DateTimeOffset Start = new(2019, 1, 1, 9, 0, 0, TimeSpan.Zero);
        private int _mark;

        public int Commit(string branch, int? from, int[] merges, string message, IReadOnlyList<(string Path, string? Content)> changes)
        {
            int mark = ++_mark;
            long when = Start.AddMinutes(mark * 37).ToUnixTimeSeconds();
            var head = new StringBuilder();
            head.Append(CultureInfo.InvariantCulture, $"commit {branch}\nmark :{mark}\n");
            head.Append(CultureInfo.InvariantCulture, $"author Dev {mark % 7} <dev{mark % 7}@example.test> {when} +0000\n");
            head.Append(CultureInfo.InvariantCulture, $"committer Dev {mark % 7} <dev{mark % 7}@example.test> {when} +0000\n");
            head.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (from is { } parent)
            {
                head.Append(CultureInfo.InvariantCulture, $"from :{parent}\n");
            }

            foreach (int m in merges)
            {
                head.Append(CultureInfo.InvariantCulture, $"merge :{m}\n");
            }

            Write(head.ToString());
            foreach ((string path, string? content) in changes)
            {
                if (content is null)
                {
                    Write($"D {path}\n");
                    continue;
                }

                byte[] bytes = Encoding.UTF8.GetBytes(content);
                Write(string.Create(CultureInfo.InvariantCulture, $"M 100644 inline {path}\ndata {bytes.Length}\n"));
                output.Write(bytes);
                Write("\n");
            }

            Write("\n");
            return mark;
        }

        public void Done() => Write("done\n");

        private void Write(string text) => output.Write(Encoding.UTF8.GetBytes(text));
    }
}
