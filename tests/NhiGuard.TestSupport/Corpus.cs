using System.Text.RegularExpressions;
using NhiGuard.Detection;
using NhiGuard.Scanner;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.TestSupport;

/// <summary>One labelled case of a <c>tests/corpus/*.corpus</c> file, its templates not yet expanded.</summary>
/// <param name="File">The corpus file's name (e.g. <c>dotnet.corpus</c>).</param>
/// <param name="HeaderLine">1-based line of the case's <c>===</c> header in that file.</param>
/// <param name="Path">The relative path the case's text is scanned as.</param>
/// <param name="Expected">Rule ids that must each be found once (repeats allowed); empty for <c>expect: none</c>.</param>
/// <param name="Text">The case's text: every line up to the next header, trailing blank lines dropped.</param>
public sealed record CorpusCase(string File, int HeaderLine, string Path, IReadOnlyList<string> Expected, string Text);

/// <summary>
/// A wrong answer. <see cref="Line"/> is the 1-based line in the corpus file: of the finding for a
/// false positive, of the case header for a false negative. The secret itself is never kept.
/// </summary>
public sealed record CorpusMiss(CorpusMissKind Kind, string File, int Line, string Path, string RuleId);

public enum CorpusMissKind
{
    FalseNegative,
    FalsePositive,
}

/// <summary>Counts for one group of cases (a corpus file, a format, or everything).</summary>
public sealed record CorpusScore(string Name, int Cases, int NoneCases, int Expected, int TruePositives, int FalsePositives, int FalseNegatives)
{
    // An empty group has nothing wrong in it: 1, not NaN, so tables and thresholds stay simple.
    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>The result of scanning the whole corpus.</summary>
public sealed record CorpusReport(
    IReadOnlyList<CorpusScore> Files,
    IReadOnlyList<CorpusScore> Formats,
    CorpusScore Overall,
    IReadOnlyList<CorpusMiss> Misses);

/// <summary>
/// The labelled corpus (<c>tests/corpus/*.corpus</c>): parsing, template expansion, and scoring of
/// the scanner against the labels. Shared by the xunit gate and the benchmark console.
/// </summary>
public static partial class Corpus
{
    [GeneratedRegex(@"^=== (?<path>\S.*?) \| expect: (?<ids>.+?)\s*$")]
    private static partial Regex Header();

    /// <summary>Parses every <c>*.corpus</c> file of a folder, in name order.</summary>
    public static IReadOnlyList<CorpusCase> ReadDirectory(string directory) =>
        Directory.GetFiles(directory, "*.corpus")
            .Order(StringComparer.Ordinal)
            .SelectMany(f => Parse(System.IO.Path.GetFileName(f), File.ReadAllText(f)))
            .ToArray();

    /// <summary>Parses one corpus file's text.</summary>
    /// <exception cref="FormatException">A header names no path or no expectation.</exception>
    public static IReadOnlyList<CorpusCase> Parse(string fileName, string text)
    {
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        var cases = new List<CorpusCase>();
        int header = -1;
        for (int i = 0; i <= lines.Length; i++)
        {
            bool isHeader = i < lines.Length && lines[i].StartsWith("=== ", StringComparison.Ordinal);
            if (i < lines.Length && !isHeader)
            {
                continue;
            }

            if (header >= 0)
            {
                cases.Add(ReadCase(fileName, lines, header, i));
            }

            header = i;
        }

        return cases;
    }

    private static CorpusCase ReadCase(string fileName, string[] lines, int header, int end)
    {
        Match m = Header().Match(lines[header]);
        if (!m.Success)
        {
            throw new FormatException($"{fileName}:{header + 1}: expected '=== <path> | expect: <rule ids>|none'");
        }

        string ids = m.Groups["ids"].Value.Trim();
        string[] expected = ids == "none"
            ? []
            : ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (expected.Length == 0 && ids != "none")
        {
            throw new FormatException($"{fileName}:{header + 1}: 'expect:' needs rule ids or 'none'");
        }

        int last = end;
        while (last > header + 1 && lines[last - 1].Trim().Length == 0)
        {
            last--;
        }

        string body = string.Join("\n", lines[(header + 1)..last]);
        return new CorpusCase(fileName, header + 1, m.Groups["path"].Value.Trim(), expected, body);
    }

    /// <summary>The case's text with its templates expanded, as the README's examples are.</summary>
    public static string Expand(CorpusCase c) => new ExampleTemplate(ExampleTemplate.SeedOf(c.Text)).Expand(c.Text);

    /// <summary>A scanner over the YAML catalog as it is on disk now (not the generated C# copy).</summary>
    public static TextScanner CatalogScanner() =>
        new(new Detector(RuleCatalog.ReadDirectory(RepositoryPaths.Rules).Select(d => d.Rule)));

    /// <summary>Scans the repository's corpus with the current catalog.</summary>
    public static CorpusReport Run() => Score(ReadDirectory(RepositoryPaths.Corpus), CatalogScanner());

    /// <summary>
    /// Scans each case and matches findings to labels: each expected id takes one unmatched finding
    /// of that rule (true positive) or is a false negative; each finding left over is a false positive.
    /// </summary>
    public static CorpusReport Score(IEnumerable<CorpusCase> cases, TextScanner scanner)
    {
        var results = new List<(CorpusCase Case, int Tp, int Fp, int Fn)>();
        var misses = new List<CorpusMiss>();
        foreach (CorpusCase c in cases)
        {
            var left = scanner.Scan(c.Path, Expand(c)).ToList();
            int tp = 0, fn = 0;
            foreach (string id in c.Expected)
            {
                int i = left.FindIndex(f => f.RuleId == id);
                if (i >= 0)
                {
                    left.RemoveAt(i);
                    tp++;
                }
                else
                {
                    fn++;
                    misses.Add(new CorpusMiss(CorpusMissKind.FalseNegative, c.File, c.HeaderLine, c.Path, id));
                }
            }

            foreach (Finding f in left)
            {
                misses.Add(new CorpusMiss(CorpusMissKind.FalsePositive, c.File, c.HeaderLine + f.Line, c.Path, f.RuleId));
            }

            results.Add((c, tp, left.Count, fn));
        }

        CorpusScore Sum(string name, IEnumerable<(CorpusCase Case, int Tp, int Fp, int Fn)> group)
        {
            var g = group.ToList();
            return new CorpusScore(
                name,
                g.Count,
                g.Count(r => r.Case.Expected.Count == 0),
                g.Sum(r => r.Case.Expected.Count),
                g.Sum(r => r.Tp),
                g.Sum(r => r.Fp),
                g.Sum(r => r.Fn));
        }

        return new CorpusReport(
            results.GroupBy(r => r.Case.File).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Sum(g.Key, g)).ToArray(),
            results.GroupBy(r => FormatOf(r.Case.Path)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Sum(g.Key, g)).ToArray(),
            Sum("overall", results),
            misses);
    }

    // Extension (or whole file name) to format family, for the per-format breakdown.
    private static readonly Dictionary<string, string> Families = new(StringComparer.OrdinalIgnoreCase)
    {
        [".cs"] = "C#", [".cshtml"] = "C#", [".csx"] = "C#",
        [".json"] = "JSON",
        [".yaml"] = "YAML", [".yml"] = "YAML",
        [".properties"] = ".properties/INI", [".ini"] = ".properties/INI", [".cfg"] = ".properties/INI",
        [".conf"] = ".properties/INI", [".cnf"] = ".properties/INI", [".toml"] = ".properties/INI",
        [".pypirc"] = ".properties/INI", [".gitconfig"] = ".properties/INI", [".netrc"] = ".properties/INI",
        [".tf"] = "Terraform", [".tfvars"] = "Terraform", [".hcl"] = "Terraform", ["terraformrc"] = "Terraform",
        [".py"] = "Python",
        [".js"] = "JavaScript/TypeScript", [".mjs"] = "JavaScript/TypeScript", [".cjs"] = "JavaScript/TypeScript",
        [".ts"] = "JavaScript/TypeScript", [".tsx"] = "JavaScript/TypeScript", [".jsx"] = "JavaScript/TypeScript",
        [".sh"] = "shell", [".bash"] = "shell", ["Makefile"] = "shell", ["crontab"] = "shell",
        [".ps1"] = "PowerShell", [".psm1"] = "PowerShell",
        [".md"] = "Markdown",
        [".xml"] = "XML",
        [".http"] = "HTTP requests",
        [".pem"] = "keys/certificates", [".key"] = "keys/certificates", [".crt"] = "keys/certificates",
        [".cer"] = "keys/certificates", [".csr"] = "keys/certificates", [".pub"] = "keys/certificates",
        [".ppk"] = "keys/certificates", [".asc"] = "keys/certificates", [".p12"] = "keys/certificates",
        [".pfx"] = "keys/certificates", [".jks"] = "keys/certificates", [".keystore"] = "keys/certificates",
        ["known_hosts"] = "keys/certificates", ["authorized_keys"] = "keys/certificates", ["KEYS"] = "keys/certificates",
        [".go"] = "other languages", [".java"] = "other languages", [".kt"] = "other languages",
        [".rb"] = "other languages", [".php"] = "other languages", [".rs"] = "other languages",
        [".sql"] = "other languages", [".gradle"] = "other languages", ["Jenkinsfile"] = "other languages",
    };

    /// <summary>
    /// A coarse format family for a path, for the per-format breakdown: the formats that have their
    /// own structure reader by name (appsettings.json, web.config, NuGet.config, .env, .npmrc, Docker
    /// config.json, .git-credentials...), otherwise a family by extension.
    /// </summary>
    public static string FormatOf(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        string lower = name.ToLowerInvariant();
        if (lower.StartsWith("appsettings", StringComparison.Ordinal) && lower.EndsWith(".json", StringComparison.Ordinal))
        {
            return "appsettings.json";
        }

        if (lower.StartsWith(".env", StringComparison.Ordinal) || lower.EndsWith(".env", StringComparison.Ordinal))
        {
            return ".env";
        }

        if (lower.StartsWith("docker-compose", StringComparison.Ordinal) || lower.StartsWith("compose.", StringComparison.Ordinal))
        {
            return "docker-compose";
        }

        if (path.Contains(".github/workflows/", StringComparison.Ordinal))
        {
            return "GitHub Actions";
        }

        if (lower == "config.json" && path.Contains(".docker/", StringComparison.Ordinal))
        {
            return "Docker config.json";
        }

        switch (lower)
        {
            case "launchsettings.json":
                return "launchSettings.json";
            case "nuget.config":
                return "NuGet.config";
            case "dockerfile":
                return "Dockerfile";
            case ".npmrc" or ".yarnrc.yml":
                return ".npmrc";
            case ".git-credentials":
                return ".git-credentials";
            case ".pgpass" or "credentials":
                return "credential files";
        }

        if (lower.EndsWith(".config", StringComparison.Ordinal))
        {
            return "web.config/app.config";
        }

        if (Families.TryGetValue(name, out string? family) || Families.TryGetValue(System.IO.Path.GetExtension(name), out family))
        {
            return family;
        }

        return lower.StartsWith("id_", StringComparison.Ordinal) || lower.Contains("ed25519", StringComparison.Ordinal) ? "keys/certificates" : "other";
    }
}
