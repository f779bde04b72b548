using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NhiGuard.Detection;

namespace NhiGuard.Benchmarks;

/// <summary>
/// Times <c>nhiguard history</c> (the real CLI process) on a synthetic repository — or on one
/// given with --repo — against the floor of every diff-based scanner, <c>git log -p -U0 --all</c>
/// alone, and against a diff-based design (the detector over each commit's added lines, the way
/// gitleaks works) on the same repository. Prints commits/s, MB/s, peak memory and the ratios.
/// </summary>
internal static class HistoryBenchmark
{
    private const int Seed = 20261122;

    public static int Run(string[] args)
    {
        int commits = 5000;
        string? repository = null;
        string? dir = null;
        string[]? npm = null;
        int runs = 3;
        string? tool = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--commits": commits = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir": dir = args[++i]; break;
                case "--npm":
                    npm = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                        ? args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        : NpmHistoryReplay.DefaultPackages;
                    break;
                case "--repo": repository = Path.GetFullPath(args[++i]); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--tool": tool = Path.GetFullPath(args[++i]); break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        string cli = Path.Combine(AppContext.BaseDirectory, "nhiguard.dll");
        if (!File.Exists(cli))
        {
            throw new FileNotFoundException("nhiguard.dll not next to the benchmark; build tests/NhiGuard.Benchmarks in Release", cli);
        }

        string seededNote = "";
        if (npm is not null)
        {
            if (NpmHistoryReplay.Build(dir ?? NpmHistoryReplay.DefaultDirectory, npm, Console.Error) is not { } replay)
            {
                return 2;
            }

            (repository, seededNote) = (replay.Repository, replay.Note);
        }
        else if (repository is null)
        {
            repository = dir ?? Path.Combine(Path.GetTempPath(), "nhiguard-history");
            seededNote = Generate(repository, commits);
        }

        (long commitCount, long blobs, long blobBytes) = Shape(repository);
        Console.WriteLine($"repository: {repository}: {commitCount:N0} commits, {blobs:N0} unique blobs ({blobBytes / 1048576.0:0.0} MB){seededNote}; {Environment.ProcessorCount} cores");

        // The floor and the scans run in rounds, one of each per round, so the machine's drift
        // (10-20% within an hour on a shared VM) touches them alike; each is its best round, and
        // the ratio is also given as the median of the rounds' own ratios.
        var floors = new List<Timing>();
        var histories = new List<Timing>();
        var installs = new List<Timing>();
        for (int round = 0; round < Math.Max(1, runs); round++)
        {
            floors.Add(TimeGit(repository, ["log", "-p", "-U0", "--full-history", "--all"]));
            histories.Add(TimeHistory(cli, repository, []));
            if (tool is not null)
            {
                installs.Add(TimeHistory(tool, repository, []));
            }
        }

        Timing floor = floors.MinBy(t => t.Seconds)!;
        double patchMb = floor.Bytes / 1048576.0;
        Console.WriteLine($"floor   git log -p -U0 --full-history --all: {floor.Seconds:0.00} s ({patchMb:0.0} MB of patch text)");
        var raw = Best(runs, () => TimeGit(repository, ["log", "--raw", "-z", "-c", "--no-renames", "--no-abbrev", "--all"]));
        Console.WriteLine($"plumbing git log --raw -c (what the blob design reads): {raw.Seconds:0.00} s");

        Timing history = histories.MinBy(t => t.Seconds)!;
        Console.WriteLine(
            $"blob design  nhiguard history: {history.Seconds:0.00} s, {commitCount / history.Seconds:N0} commits/s, {patchMb / history.Seconds:0.0} MB patch/s, "
            + $"{blobBytes / 1048576.0 / history.Seconds:0.0} MB blobs/s, peak RSS {history.PeakKb / 1024.0:0} MB, {history.Findings} findings ({history.InHead} still in HEAD)");

        // The same scan with every object read through git cat-file (the escape hatch), to show
        // what reading the object files in-process saves.
        var viaGit = Best(runs, () => TimeHistory(cli, repository, [], ("NHIGUARD_READ_OBJECTS", "git")));
        Console.WriteLine($"             with objects read through git cat-file (NHIGUARD_READ_OBJECTS=git): {viaGit.Seconds:0.00} s, peak RSS {viaGit.PeakKb / 1024.0:0} MB, {viaGit.Findings} findings");

        if (tool is not null)
        {
            // The installed tool (the precompiled package), as users run it.
            Timing installed = installs.MinBy(t => t.Seconds)!;
            Console.WriteLine($"             installed tool ({tool}): {installed.Seconds:0.00} s, ratio {installed.Seconds / floor.Seconds:0.00} "
                + $"(median of rounds {MedianRatio(installs, floors):0.00}), peak RSS {installed.PeakKb / 1024.0:0} MB, {installed.Findings} findings");
        }

        var diff = Best(runs, () => DiffDesign(repository));
        Console.WriteLine($"diff design  detector over added lines of git log -p -U0: {diff.Seconds:0.00} s, {diff.Findings} findings (before de-duplication)");

        Console.WriteLine($"ratio nhiguard history / floor: {history.Seconds / floor.Seconds:0.00} (median of rounds {MedianRatio(histories, floors):0.00}); diff design / floor: {diff.Seconds / floor.Seconds:0.00}; blob / diff design: {history.Seconds / diff.Seconds:0.00}");

        // Memory against history length: the same repository, a growing number of commits, with
        // the installed tool when there is one; the median of the runs (one run's peak depends on
        // when the GC happened to collect).
        var memory = new List<string>();
        foreach (long n in new[] { commitCount / 8, commitCount / 4, commitCount / 2, commitCount })
        {
            string[] limit = ["--max-commits", Math.Max(1, n).ToString(CultureInfo.InvariantCulture)];
            long[] peaks = [.. Enumerable.Range(0, Math.Max(1, runs)).Select(_ => TimeHistory(tool ?? cli, repository, limit).PeakKb).Order()];
            memory.Add($"{n:N0} commits {peaks[peaks.Length / 2] / 1024.0:0} MB");
        }

        Console.WriteLine($"peak RSS by history length ({(tool is null ? "from source" : "installed")}, median of {Math.Max(1, runs)}): {string.Join(", ", memory)}");
        return 0;
    }

    private static string Generate(string root, int commits)
    {
        string marker = Path.Combine(Path.GetTempPath(), "nhiguard-history.generated");
        string expected = $"{HistoryRepositoryGenerator.Version}:{Seed}:{commits}:{root}";
        if (File.Exists(marker) && Directory.Exists(root) && File.ReadAllLines(marker) is [var key, var note] && key == expected)
        {
            return note;
        }

        var clock = Stopwatch.StartNew();
        var generator = new HistoryRepositoryGenerator(Seed);
        generator.Generate(root, commits);
        string seeded = $", {generator.Seeded} seeded secrets ({generator.StillInHead} still in HEAD), generated in {clock.Elapsed.TotalSeconds:0} s";
        File.WriteAllLines(marker, [expected, seeded]);
        return seeded;
    }

    private static (long Commits, long Blobs, long BlobBytes) Shape(string repository)
    {
        long commits = long.Parse(GitOutput(repository, ["rev-list", "--count", "--all"]).Trim(), CultureInfo.InvariantCulture);
        long blobs = 0, bytes = 0;
        foreach (string line in GitOutput(repository, ["cat-file", "--batch-all-objects", "--batch-check=%(objecttype) %(objectsize)"]).Split('\n'))
        {
            if (line.StartsWith("blob ", StringComparison.Ordinal))
            {
                blobs++;
                bytes += long.Parse(line[5..], CultureInfo.InvariantCulture);
            }
        }

        return (commits, blobs, bytes);
    }

    private sealed record Timing(double Seconds, long Bytes = 0, long PeakKb = 0, int Findings = 0, int InHead = 0);

    private static double MedianRatio(List<Timing> scans, List<Timing> floors)
    {
        double[] ratios = [.. scans.Select((t, i) => t.Seconds / floors[i].Seconds).Order()];
        return ratios.Length % 2 == 1 ? ratios[ratios.Length / 2] : (ratios[(ratios.Length / 2) - 1] + ratios[ratios.Length / 2]) / 2;
    }

    private static Timing Best(int runs, Func<Timing> run) =>
        Enumerable.Range(0, Math.Max(1, runs)).Select(_ => run()).MinBy(t => t.Seconds)!;

    private static Timing TimeGit(string repository, string[] args)
    {
        var clock = Stopwatch.StartNew();
        using Process p = Start("git", args, repository);
        long bytes = 0;
        var buffer = new byte[1 << 16];
        int n;
        while ((n = p.StandardOutput.BaseStream.Read(buffer)) > 0)
        {
            bytes += n;
        }

        p.WaitForExit();
        return new Timing(clock.Elapsed.TotalSeconds, bytes);
    }

    private static Timing TimeHistory(string cli, string repository, string[] extra, (string Name, string Value)? environment = null)
    {
        var clock = Stopwatch.StartNew();
        // A .dll runs under dotnet; anything else is an installed tool's command.
        using Process p = cli.EndsWith(".dll", StringComparison.Ordinal)
            ? Start("dotnet", [cli, "history", repository, "--format", "json", .. extra], repository, environment)
            : Start(cli, ["history", repository, "--format", "json", .. extra], repository, environment);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        long peak = 0;
        while (!p.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakRssKb(p.Id));
        }

        double seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode is not (0 or 1))
        {
            throw new InvalidOperationException($"nhiguard history failed ({p.ExitCode}): {stderr.Result}");
        }

        using var doc = JsonDocument.Parse(stdout.Result);
        var findings = doc.RootElement.GetProperty("findings").EnumerateArray().ToList();
        return new Timing(seconds, 0, peak, findings.Count, findings.Count(f => f.GetProperty("inHead").ValueKind == JsonValueKind.True));
    }

    // VmHWM: the process's peak resident set so far; sampled until it exits.
    private static long PeakRssKb(int pid)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>
    /// The design not taken, as fast as it can be made simply: stream <c>git log -p -U0</c>, gather
    /// each file's added lines per commit, run the detector over them on every core.
    /// </summary>
    private static Timing DiffDesign(string repository)
    {
        var clock = Stopwatch.StartNew();
        Detector detector = Detector.CreateDefault();
        using Process git = Start("git", ["log", "-p", "-U0", "--full-history", "--all", "--format=%x01%H", "--no-color", "--no-ext-diff", "--no-textconv"], repository);
        var fragments = new System.Collections.Concurrent.BlockingCollection<Fragment>(256);
        int findings = 0;
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Factory.StartNew(
            () =>
            {
                foreach (Fragment f in fragments.GetConsumingEnumerable())
                {
                    Interlocked.Add(ref findings, detector.Scan(f).Count);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();

        var reader = new StreamReader(git.StandardOutput.BaseStream, new UTF8Encoding(false), false, 1 << 16);
        var added = new StringBuilder();
        string path = "";
        int firstLine = 1;
        void Flush()
        {
            if (added.Length > 0)
            {
                fragments.Add(new Fragment(added.ToString(), path, firstLine));
                added.Clear();
            }
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("+++ ", StringComparison.Ordinal))
            {
                Flush();
                path = line.StartsWith("+++ b/", StringComparison.Ordinal) ? line[6..] : line[4..];
            }
            else if (line.StartsWith("@@ ", StringComparison.Ordinal))
            {
                int plus = line.IndexOf('+');
                int end = line.IndexOfAny([',', ' '], plus);
                if (added.Length == 0 && plus > 0 && end > plus)
                {
                    int.TryParse(line.AsSpan(plus + 1, end - plus - 1), CultureInfo.InvariantCulture, out firstLine);
                }
            }
            else if (line.Length > 0 && line[0] == '+')
            {
                added.Append(line, 1, line.Length - 1).Append('\n');
            }
            else if (line.StartsWith('\u0001') || line.StartsWith("diff ", StringComparison.Ordinal))
            {
                Flush();
            }
        }

        Flush();
        fragments.CompleteAdding();
        Task.WaitAll(workers);
        git.WaitForExit();
        return new Timing(clock.Elapsed.TotalSeconds, 0, 0, findings);
    }

    private static string GitOutput(string repository, string[] args)
    {
        using Process p = Start("git", args, repository);
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output;
    }

    private static Process Start(string file, string[] args, string directory, (string Name, string Value)? environment = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (environment is { } variable)
        {
            psi.Environment[variable.Name] = variable.Value;
        }

        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process p = Process.Start(psi)!;
        if (file == "git")
        {
            _ = p.StandardError.ReadToEndAsync();
        }

        return p;
    }
}
