using System.ComponentModel;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace NhiGuard.Benchmarks;

/// <summary>
/// A repository with a real history where no git remote can be cloned: every published version of
/// a set of npm packages replayed as one commit each, under <c>packages/&lt;name&gt;/</c>, so that
/// successive commits carry the real changes between releases. Tarballs come from the npm client
/// (<c>npm view</c>, <c>npm pack</c>) and are cached, like the built repository, under one folder.
/// </summary>
internal static class NpmHistoryReplay
{
    // Bump when the replayed history changes, so a cached repository is rebuilt.
    public const int Version = 1;

    public static readonly string DefaultDirectory = Path.Combine(Path.GetTempPath(), "nhiguard-npm-history");

    // Microsoft's auth and Azure SDKs for JavaScript: about 1,200 stable releases in all.
    public static readonly string[] DefaultPackages =
    [
        "@azure/msal-node", "@azure/msal-common", "@azure/msal-browser", "@azure/msal-react", "@azure/msal-angular",
        "@azure/identity", "@azure/core-auth", "@azure/core-rest-pipeline", "@azure/core-client", "@azure/core-http",
        "@azure/core-lro", "@azure/storage-blob", "@azure/storage-queue", "@azure/keyvault-secrets", "@azure/cosmos",
        "@azure/service-bus", "@azure/event-hubs",
    ];

    // The registry itself is down or unreachable: asking for the next package would only wait again.
    private static readonly string[] NetworkErrors = ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EAI_AGAIN", "ENETUNREACH", "ECONNRESET"];

    private const int MaxFileBytes = 1 << 20;
    private const int PackBatch = 20;

    public sealed record Replay(string Repository, string Note);

    private sealed record Release(string Package, string Version, DateTimeOffset When, double Progress);

    /// <summary>
    /// The replayed repository under <paramref name="root"/>, built only when missing; null (after one
    /// line on <paramref name="log"/>) when the registry cannot be reached at all.
    /// </summary>
    public static Replay? Build(string root, IReadOnlyList<string> packages, TextWriter log)
    {
        root = Path.GetFullPath(root);
        string repository = Path.Combine(root, "repo");
        string marker = Path.Combine(root, "repo.built");
        string expected = $"{Version}:{string.Join(',', packages)}";
        if (File.Exists(marker) && Directory.Exists(repository) && File.ReadAllLines(marker) is [var key, var cachedNote] && key == expected)
        {
            return new Replay(repository, cachedNote);
        }

        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(root, "meta"));
        Directory.CreateDirectory(Path.Combine(root, "tarballs"));
        var notes = new List<string>();
        var releases = new List<Release>();
        string? unreachable = null;
        foreach (string package in packages)
        {
            if (TryReleases(root, package, out List<Release> found, out string? error))
            {
                releases.AddRange(found);
            }
            else
            {
                unreachable ??= $"npm view {package} time: {error}";
                notes.Add($"skipped {package}: no version list from the registry ({error})");
                if (NetworkErrors.Any(code => error.Contains(code, StringComparison.Ordinal)))
                {
                    break;
                }
            }
        }

        if (releases.Count == 0)
        {
            log.WriteLine($"error: no release could be listed from the npm registry ({unreachable ?? "no package has a stable release"}); the --npm history cannot be built");
            return null;
        }

        Download(root, releases, notes);
        var ordered = releases.Where(r => File.Exists(Tarball(root, r)))
            .OrderBy(r => (r.When.Year * 12) + r.When.Month).ThenBy(r => r.Progress).ThenBy(r => r.Package, StringComparer.Ordinal).ToList();
        if (ordered.Count == 0)
        {
            log.WriteLine("error: no tarball could be downloaded from the npm registry; the --npm history cannot be built");
            return null;
        }

        int commits = Import(root, repository, ordered, notes);
        foreach (string n in notes)
        {
            log.WriteLine($"note: {n}");
        }

        int packageCount = ordered.Select(r => r.Package).Distinct(StringComparer.Ordinal).Count();
        string note = $", replayed from {commits:N0} npm releases of {packageCount} packages ({releases.Count - commits} skipped), built in {clock.Elapsed.TotalSeconds:0} s";
        File.WriteAllLines(marker, [expected, note]);
        return new Replay(repository, note);
    }

    /// <summary>
    /// Stable versions in version order, dated by the registry's <c>time</c> field. That field is not
    /// monotonic (mirrors re-stamp old releases in bulk), so each date is capped by the dates of the
    /// versions after it, and releases of one month are interleaved by how far each package is through its own.
    /// </summary>
    private static bool TryReleases(string root, string package, out List<Release> releases, [NotNullWhen(false)] out string? error)
    {
        releases = [];
        error = null;
        string cache = Path.Combine(root, "meta", FileStem(package) + ".json");
        string? json = File.Exists(cache) ? File.ReadAllText(cache) : null;
        if (json is null)
        {
            (int exit, string stdout, string stderr) = Npm(root, ["view", package, "time", "--json"]);
            int start = stdout.IndexOf('{', StringComparison.Ordinal);
            if (exit != 0 || start < 0)
            {
                error = FirstError(stderr, exit);
                return false;
            }

            json = stdout[start..];
            File.WriteAllText(cache, json);
        }

        var versions = new List<(System.Version Order, string Text, DateTimeOffset When)>();
        using (var doc = JsonDocument.Parse(json))
        {
            foreach (JsonProperty p in doc.RootElement.EnumerateObject())
            {
                // Prereleases (daily alpha builds for most Azure packages) are left out: stable lines only.
                if (!p.Name.Contains('-', StringComparison.Ordinal)
                    && System.Version.TryParse(p.Name.Split('+')[0], out System.Version? order)
                    && DateTimeOffset.TryParse(p.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset when))
                {
                    versions.Add((order, p.Name, when));
                }
            }
        }

        versions.Sort((a, b) => a.Order.CompareTo(b.Order));
        var dated = new Release[versions.Count];
        DateTimeOffset cap = DateTimeOffset.MaxValue;
        for (int i = versions.Count - 1; i >= 0; i--)
        {
            cap = versions[i].When < cap ? versions[i].When : cap;
            dated[i] = new Release(package, versions[i].Text, cap, (i + 1.0) / (versions.Count + 1.0));
        }

        releases = [.. dated];
        return true;
    }

    // npm pack in batches, a few at once; a batch that fails is retried one version at a time.
    private static void Download(string root, List<Release> releases, List<string> notes)
    {
        string destination = Path.Combine(root, "tarballs");
        var batches = releases.Where(r => !File.Exists(Tarball(root, r))).Chunk(PackBatch).ToList();
        var failed = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = 3 }, batch =>
        {
            Pack(root, destination, batch);
            foreach (Release r in batch.Where(r => !File.Exists(Tarball(root, r))))
            {
                if (Pack(root, destination, [r]) is { } error)
                {
                    failed.Add($"skipped {r.Package}@{r.Version}: npm pack failed ({error})");
                }
            }
        });
        notes.AddRange(failed.Order(StringComparer.Ordinal));
    }

    private static string? Pack(string root, string destination, Release[] batch)
    {
        (int exit, _, string stderr) = Npm(root, ["pack", .. batch.Select(r => $"{r.Package}@{r.Version}"), "--json", "--pack-destination", destination]);
        return exit == 0 ? null : FirstError(stderr, exit);
    }

    // npm 7+ writes "npm error ...", older ones "npm ERR! ..."; the first such line names the cause.
    private static string FirstError(string stderr, int exit) =>
        stderr.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("npm error", StringComparison.Ordinal) || l.StartsWith("npm ERR", StringComparison.Ordinal))
        ?? $"npm exited with {exit}";

    // One commit per release; only the files that changed since that package's previous release.
    private static int Import(string root, string repository, List<Release> ordered, List<string> notes)
    {
        if (Directory.Exists(repository))
        {
            Directory.Delete(repository, recursive: true);
        }

        Git(root, ["init", "-q", "-b", "main", repository]);
        var psi = new ProcessStartInfo("git") { WorkingDirectory = repository, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "fast-import", "--quiet", "--done" })
        {
            psi.ArgumentList.Add(a);
        }

        using Process import = Process.Start(psi)!;
        var output = new BufferedStream(import.StandardInput.BaseStream, 1 << 20);
        var trees = new Dictionary<string, Dictionary<string, byte[]>>(StringComparer.Ordinal);
        long last = 0;
        int commits = 0;
        foreach (Release r in ordered)
        {
            Dictionary<string, byte[]> files;
            try
            {
                files = Files(Tarball(root, r));
            }
            catch (Exception e) when (e is InvalidDataException or FormatException or IOException)
            {
                notes.Add($"skipped {r.Package}@{r.Version}: unreadable tarball ({e.Message})");
                continue;
            }

            Dictionary<string, byte[]> previous = trees.GetValueOrDefault(r.Package) ?? new(StringComparer.Ordinal);
            trees[r.Package] = files;
            last = Math.Max(last + 1, r.When.ToUnixTimeSeconds());
            string ident = $"{r.Package} <{r.Package.TrimStart('@').Replace('/', '.')}@npm.invalid> {last} +0000";
            string message = $"{r.Package} {r.Version}";
            string folder = $"packages/{r.Package.TrimStart('@')}/";
            var head = new StringBuilder();
            head.Append(CultureInfo.InvariantCulture, $"commit refs/heads/main\nauthor {ident}\ncommitter {ident}\n");
            head.Append(CultureInfo.InvariantCulture, $"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            foreach (string gone in previous.Keys.Where(p => !files.ContainsKey(p)).Order(StringComparer.Ordinal))
            {
                head.Append(CultureInfo.InvariantCulture, $"D {folder}{gone}\n");
            }

            Write(output, head.ToString());
            foreach ((string path, byte[] content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                if (previous.TryGetValue(path, out byte[]? before) && before.AsSpan().SequenceEqual(content))
                {
                    continue;
                }

                Write(output, $"M 100644 inline {folder}{path}\ndata {content.Length.ToString(CultureInfo.InvariantCulture)}\n");
                output.Write(content);
                Write(output, "\n");
            }

            Write(output, "\n");
            commits++;
        }

        Write(output, "done\n");
        output.Flush();
        import.StandardInput.Close();
        import.WaitForExit();
        if (import.ExitCode != 0)
        {
            throw new InvalidOperationException("git fast-import failed");
        }

        Git(repository, ["reset", "-q", "--hard"]);
        Git(repository, ["gc", "-q"]);
        return commits;
    }

    /// <summary>A release's files: its source, typings, docs and manifests; no source maps, binaries or files over 1 MB.</summary>
    private static Dictionary<string, byte[]> Files(string tarball)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var gzip = new GZipStream(File.OpenRead(tarball), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            // Every file sits under one top folder, "package/" for all but a few old tarballs.
            int slash = entry.Name.IndexOf('/', StringComparison.Ordinal);
            string path = slash < 0 ? entry.Name : entry.Name[(slash + 1)..];
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                || entry.DataStream is null || entry.Length > MaxFileBytes || path.Length == 0
                || path.EndsWith(".map", StringComparison.OrdinalIgnoreCase)
                || path.Split('/').Any(s => s is "" or "." or "..") || path.AsSpan().IndexOfAny("\"\n\r") >= 0)
            {
                continue;
            }

            var content = new byte[entry.Length];
            entry.DataStream.ReadExactly(content);
            if (content.AsSpan(0, Math.Min(content.Length, 8000)).IndexOf((byte)0) < 0)
            {
                files[path] = content;
            }
        }

        return files;
    }

    // npm's own name for a packed tarball: "@azure/msal-node" 1.0.0 -> azure-msal-node-1.0.0.tgz.
    private static string Tarball(string root, Release r) => Path.Combine(root, "tarballs", $"{FileStem(r.Package)}-{r.Version}.tgz");

    private static string FileStem(string package) => package.TrimStart('@').Replace('/', '-');

    private static void Write(Stream output, string text) => output.Write(Encoding.UTF8.GetBytes(text));

    private static (int Exit, string Stdout, string Stderr) Npm(string directory, string[] args)
    {
        var psi = new ProcessStartInfo("npm") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args.Append("--fetch-retries=1"))
        {
            psi.ArgumentList.Add(a);
        }

        try
        {
            using Process p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync();
            string stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, stdout, stderr.Result);
        }
        catch (Win32Exception e)
        {
            return (-1, "", $"npm ERR! cannot start npm: {e.Message}");
        }
    }

    private static void Git(string directory, string[] args) => HistoryRepositoryGenerator.Run("git", args, directory);
}
