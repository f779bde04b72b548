using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;

namespace NhiGuard.Benchmarks;

/// <summary>
/// What the NhiGuard analyzers add to a compile. Compiles a large body of C# — a seeded,
/// generated one against the real identity SDKs, or the .cs files under --dir — with no
/// analyzers, then with each analyzer set in turn (NhiGuard's secret analyzers, all of NhiGuard,
/// Sonar's S2068+S6418, and no-op analyzers as floors), interleaved, best and worst of --runs.
/// "Compile" is parse + every compiler diagnostic (declarations and all method bodies bound);
/// with analyzers it is <see cref="CompilationWithAnalyzers.GetAllDiagnosticsAsync()"/> on the same
/// trees, which is how the compiler runs them. Then one more run with every analyzer together and
/// execution-time logging on prints each analyzer's <c>ExecutionTime</c>.
/// </summary>
internal static class AnalyzerBenchmark
{
    private const int Seed = 20261122;

    private static readonly string[] SonarRules = ["S2068", "S6418"];

    public static int Run(string[] args)
    {
        int files = 2000;
        int runs = 3;
        string? directory = null;
        string? sonarPath = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--files": files = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir": directory = Path.GetFullPath(args[++i]); break;
                case "--sonar": sonarPath = args[++i]; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        List<(string Path, string Text)> sources;
        string origin;
        if (directory is null)
        {
            var corpus = new AnalyzerBenchmarkCorpus(Seed);
            sources = corpus.Generate(files);
            origin = $"generated (seed {Seed}, v{AnalyzerBenchmarkCorpus.Version}), {corpus.SeededSecrets} files with a hard-coded credential";
        }
        else
        {
            sources = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(p => (p, File.ReadAllText(p)))
                .ToList();
            origin = directory;
        }

        long lines = sources.Sum(s => (long)s.Text.AsSpan().Count('\n'));
        ImmutableArray<MetadataReference> references = References();
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            // Sonar's S6418 is not on by default; both of its rules are asked for explicitly.
            specificDiagnosticOptions: SonarRules.Select(r => KeyValuePair.Create(r, ReportDiagnostic.Warn)));

        // Compiler errors are fine for a --dir tree (its own references are not known here) but not for
        // the generated corpus, whose whole point is that every call binds to the real SDKs.
        CSharpCompilation probe = Compile(sources, references, options);
        var errors = probe.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (directory is null && errors.Count > 0)
        {
            Console.Error.WriteLine($"the generated corpus does not compile ({errors.Count} errors):");
            foreach (Diagnostic error in errors.Take(10))
            {
                Console.Error.WriteLine("  " + error);
            }

            return 1;
        }

        var nhiguard = NhiGuardAnalyzers();
        var secrets = nhiguard.Where(a => a.SupportedDiagnostics.All(d => d.Category == "NhiGuard.Secrets")).ToImmutableArray();
        var sonar = SonarAnalyzers(sonarPath, out string sonarNote);
        var sets = new List<(string Name, ImmutableArray<DiagnosticAnalyzer> Analyzers)>
        {
            ("no-op syntax-tree action", [new NoOpSyntaxTreeAnalyzer()]),
            ("no-op syntax-node action on literals", [new NoOpLiteralSyntaxNodeAnalyzer()]),
            ("no-op operation action on literals", [new NoOpLiteralOperationAnalyzer()]),
            ($"NhiGuard secrets ({Ids(secrets)})", secrets),
            ($"NhiGuard all ({nhiguard.Length} analyzers)", nhiguard),
        };
        if (!sonar.IsEmpty)
        {
            sets.Add(($"Sonar {string.Join("+", SonarRules)}", sonar));
        }

        Console.WriteLine($"corpus: {origin}: {sources.Count:N0} files, {lines:N0} lines, {errors.Count} compiler errors; {references.Length} references; Roslyn {typeof(Compilation).Assembly.GetName().Version}; {Environment.ProcessorCount} cores; best and worst of {runs} runs");
        Console.WriteLine($"sonar: {sonarNote}");

        // Warm-up: the JIT compiles the compiler and every analyzer before anything is timed.
        var all = sets.SelectMany(s => s.Analyzers).Distinct().ToImmutableArray();
        Analyze(sources, references, options, all, logTime: false);
        Time(() => Compile(sources, references, options).GetDiagnostics().Length);

        // Interleaved, so a neighbour's build slows every configuration alike.
        var baseline = new List<double>();
        var timings = sets.Select(_ => new List<double>()).ToArray();
        var findings = new int[sets.Count];
        for (int run = 0; run < runs; run++)
        {
            baseline.Add(Time(() => Compile(sources, references, options).GetDiagnostics().Length));
            for (int s = 0; s < sets.Count; s++)
            {
                int index = s;
                timings[s].Add(Time(() => findings[index] = Analyze(sources, references, options, sets[index].Analyzers, logTime: false).Diagnostics));
            }
        }

        double compile = baseline.Min();
        Console.WriteLine();
        Console.WriteLine($"| {"configuration",-44} | {"best",7} | {"worst",7} | {"added to compile",16} | {"findings",8} |");
        Console.WriteLine($"|{new string('-', 46)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 18)}|{new string('-', 10)}|");
        Console.WriteLine($"| {"compile, no analyzers",-44} | {compile,7:0.00} | {baseline.Max(),7:0.00} | {"",16} | {"",8} |");
        for (int s = 0; s < sets.Count; s++)
        {
            double best = timings[s].Min(), worst = timings[s].Max();
            string added = $"{(best - compile) / compile * 100,5:+0;-0}% ({(worst - baseline.Max()) / baseline.Max() * 100:+0;-0}%)";
            Console.WriteLine($"| {sets[s].Name,-44} | {best,7:0.00} | {worst,7:0.00} | {added,16} | {findings[s],8} |");
        }

        Console.WriteLine("seconds of CPU time (parse + compiler diagnostics + analyzers); added to compile: best against best (worst against worst)");

        // Telemetry: everything in one run, as a project with all of them installed would.
        var telemetry = Analyze(sources, references, options, all, logTime: true);

        Console.WriteLine();
        Console.WriteLine($"ExecutionTime per analyzer, all {all.Length} in one run ({telemetry.Seconds:0.00} s wall, compile alone {compile:0.00} s):");
        Console.WriteLine($"| {"analyzer",-44} | {"rules",-22} | {"ExecutionTime s",15} | {"% of compile",12} |");
        Console.WriteLine($"|{new string('-', 46)}|{new string('-', 24)}|{new string('-', 17)}|{new string('-', 14)}|");
        foreach ((DiagnosticAnalyzer analyzer, TimeSpan time) in telemetry.ExecutionTimes.OrderByDescending(t => t.Time))
        {
            Console.WriteLine($"| {analyzer.GetType().Name,-44} | {Ids([analyzer]),-22} | {time.TotalSeconds,15:0.000} | {time.TotalSeconds / compile * 100,11:0.0}% |");
        }

        double ours = telemetry.ExecutionTimes.Where(t => secrets.Contains(t.Analyzer)).Sum(t => t.Time.TotalSeconds);
        double theirs = telemetry.ExecutionTimes.Where(t => sonar.Contains(t.Analyzer)).Sum(t => t.Time.TotalSeconds);
        double everything = telemetry.ExecutionTimes.Where(t => nhiguard.Contains(t.Analyzer)).Sum(t => t.Time.TotalSeconds);
        Console.WriteLine($"NhiGuard secrets {ours:0.000} s, NhiGuard all {everything:0.000} s" + (sonar.IsEmpty ? "" : $", Sonar {string.Join("+", SonarRules)} {theirs:0.000} s: secrets/Sonar {ours / theirs:0.00}, all/Sonar {everything / theirs:0.00} (aim: secrets at most 0.50)"));
        if (telemetry.Exceptions > 0)
        {
            Console.WriteLine($"analyzer exceptions (AD0001): {telemetry.Exceptions}");
            return 1;
        }

        return 0;
    }

    private static string Ids(IEnumerable<DiagnosticAnalyzer> analyzers) =>
        string.Join(",", analyzers.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).Distinct().Where(id => !id.StartsWith("NOOP", StringComparison.Ordinal)).Order(StringComparer.Ordinal));

    private static double Time(Func<int> work)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        // CPU seconds of this process, not wall time: on a shared machine a neighbour's build
        // stretches wall time several-fold, but hardly the CPU the compile itself burns.
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        work();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds;
    }

    private static CSharpCompilation Compile(List<(string Path, string Text)> sources, ImmutableArray<MetadataReference> references, CSharpCompilationOptions options)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = sources.AsParallel().AsOrdered().Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToArray();
        return CSharpCompilation.Create("Benchmark", trees, references, options);
    }

    private sealed record AnalysisRun(double Seconds, int Diagnostics, int Exceptions, List<(DiagnosticAnalyzer Analyzer, TimeSpan Time)> ExecutionTimes);

    private static AnalysisRun Analyze(
        List<(string Path, string Text)> sources,
        ImmutableArray<MetadataReference> references,
        CSharpCompilationOptions options,
        ImmutableArray<DiagnosticAnalyzer> analyzers,
        bool logTime)
    {
        var clock = Stopwatch.StartNew();
        int exceptions = 0;
        var withAnalyzers = Compile(sources, references, options).WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                onAnalyzerException: (_, _, _) => Interlocked.Increment(ref exceptions),
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: logTime,
                reportSuppressedDiagnostics: false));
        var times = new List<(DiagnosticAnalyzer, TimeSpan)>();
        ImmutableArray<Diagnostic> diagnostics;
        if (logTime)
        {
            // On this Roslyn the execution times live on the analysis result, not on the
            // CompilationWithAnalyzers (whose GetAnalyzerTelemetryInfoAsync reports zero after GetAllDiagnosticsAsync).
            AnalysisResult result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
            diagnostics = result.GetAllDiagnostics();
            foreach (DiagnosticAnalyzer analyzer in analyzers)
            {
                times.Add((analyzer, result.AnalyzerTelemetryInfo.TryGetValue(analyzer, out AnalyzerTelemetryInfo? info) ? info.ExecutionTime : TimeSpan.Zero));
            }
        }
        else
        {
            diagnostics = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
        }

        double seconds = clock.Elapsed.TotalSeconds;

        int reported = diagnostics.Count(d => d.Id.StartsWith("NHI", StringComparison.Ordinal) || SonarRules.Contains(d.Id) || d.Id == "AD0001");
        return new AnalysisRun(seconds, reported, exceptions, times);
    }

    private static ImmutableArray<DiagnosticAnalyzer> NhiGuardAnalyzers() =>
        typeof(NhiGuard.Analyzers.Secrets.HardCodedCredentialAnalyzer).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

    /// <summary>S2068 and S6418 from SonarAnalyzer.CSharp's analyzers/ folder (restored by this project, never run on its build).</summary>
    private static ImmutableArray<DiagnosticAnalyzer> SonarAnalyzers(string? path, out string note)
    {
        path ??= typeof(AnalyzerBenchmark).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "SonarAnalyzerPackage")?.Value;
        string? dll = path is null ? null
            : File.Exists(path) ? path
            : Path.Combine(path, "analyzers", "SonarAnalyzer.CSharp.dll");
        if (dll is null || !File.Exists(dll))
        {
            note = $"not found ({path ?? "package path unknown"}); pass --sonar <package folder or dll>";
            return [];
        }

        try
        {
            Assembly assembly = Assembly.LoadFrom(dll);
            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException e)
            {
                types = e.Types.OfType<Type>().ToArray();
            }

            var analyzers = types
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null
                    && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is { } attribute && attribute.Languages.Contains(LanguageNames.CSharp))
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .Where(a => a.SupportedDiagnostics.Any(d => SonarRules.Contains(d.Id)))
                .ToImmutableArray();
            note = $"{assembly.GetName().Name} {assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? assembly.GetName().Version?.ToString()} from {dll}: "
                + string.Join(", ", analyzers.Select(a => $"{a.GetType().Name} ({Ids([a])})"));
            return analyzers;
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException or TypeLoadException)
        {
            note = $"could not load {dll}: {e.Message}";
            return [];
        }
    }

    /// <summary>The runtime's reference pack and the identity SDKs this project references (and their dependencies).</summary>
    private static ImmutableArray<MetadataReference> References()
    {
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        string dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        string version = Path.GetFileName(Path.TrimEndingDirectorySeparator(runtimeDirectory));
        string major = version.Split('.')[0];
        string packRoot = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        string framework = Directory.GetDirectories(packRoot)
            .Where(d => Path.GetFileName(d).StartsWith(major + ".", StringComparison.Ordinal))
            .OrderByDescending(d => Path.GetFileName(d) == version)
            .ThenByDescending(d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out Version? v) ? v : new Version())
            .Select(d => Path.Combine(d, "ref", $"net{major}.0"))
            .First(Directory.Exists);
        var paths = Directory.GetFiles(framework, "*.dll").Order(StringComparer.Ordinal).ToList();

        string frameworkDirectory = Path.GetFullPath(runtimeDirectory);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Type[] anchors =
        [
            typeof(Microsoft.Identity.Client.ConfidentialClientApplicationBuilder),
            typeof(Azure.Identity.ClientSecretCredential),
            typeof(Azure.Core.TokenCredential),
            typeof(Microsoft.IdentityModel.Tokens.SymmetricSecurityKey),
            typeof(Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler),
            typeof(System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler),
        ];
        var queue = new Queue<Assembly>(anchors.Select(t => t.Assembly));
        while (queue.Count > 0)
        {
            Assembly assembly = queue.Dequeue();
            if (!seen.Add(assembly.GetName().Name!) || assembly.Location.Length == 0 || assembly.Location.StartsWith(frameworkDirectory, StringComparison.Ordinal))
            {
                continue;
            }

            paths.Add(assembly.Location);
            foreach (AssemblyName name in assembly.GetReferencedAssemblies())
            {
                try
                {
                    queue.Enqueue(Assembly.Load(name));
                }
                catch (FileNotFoundException)
                {
                    // An optional dependency not carried here; the generated code does not need it.
                }
            }
        }

        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}

/// <summary>The floor of a syntax-only analyzer: one callback per file, doing nothing.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpSyntaxTreeAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("NOOP1", "no-op", "no-op", "Benchmark", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterSyntaxTreeAction(_ => { });
    }
}

/// <summary>The floor of a syntax-node analyzer on literals: no semantic model, one callback per literal.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpLiteralSyntaxNodeAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("NOOP2", "no-op", "no-op", "Benchmark", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterSyntaxNodeAction(_ => { }, SyntaxKind.StringLiteralExpression, SyntaxKind.NumericLiteralExpression, SyntaxKind.InterpolatedStringExpression, SyntaxKind.Utf8StringLiteralExpression);
    }
}

/// <summary>The floor of an IOperation analyzer on literals: every method body bound for the analyzers.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpLiteralOperationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("NOOP3", "no-op", "no-op", "Benchmark", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterOperationAction(_ => { }, OperationKind.Literal, OperationKind.InterpolatedString);
    }
}
