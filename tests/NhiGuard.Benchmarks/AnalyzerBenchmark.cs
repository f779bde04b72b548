using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Diagnostics.Telemetry;
using NhiGuard.TestSupport;
using Project = NhiGuard.Benchmarks.DecompiledCorpus.Project;

namespace NhiGuard.Benchmarks;

/// <summary>
/// What the NhiGuard analyzers add to a compile. Compiles a large body of C# — real code (the
/// identity SDKs and other libraries from the NuGet cache, decompiled: --decompiled), a seeded,
/// generated one against the real identity SDKs, or the .cs files under --dir — with no
/// analyzers, then with each analyzer set in turn (NhiGuard's secret analyzers, all of NhiGuard,
/// Sonar's S2068+S6418, and no-op analyzers as floors), interleaved, best and worst of --runs.
/// "Compile" is parse + every compiler diagnostic (declarations and all method bodies bound);
/// with analyzers it is <see cref="CompilationWithAnalyzers.GetAllDiagnosticsAsync()"/> on the same
/// trees, which is how the compiler runs them. Then one more run with every analyzer together and
/// execution-time logging on (on one thread) prints each analyzer's <c>ExecutionTime</c>.
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
        string? decompiled = null;
        string? sonarPath = null;
        string[]? only = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--files": files = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--dir": directory = Path.GetFullPath(args[++i]); break;
                case "--sonar": sonarPath = args[++i]; break;
                case "--only": only = args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries); break;
                case "--decompiled": decompiled = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? Path.GetFullPath(args[++i]) : DecompiledCorpus.DefaultCacheDirectory; break;
                default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
            }
        }

        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            // Sonar's S6418 is not on by default; both of its rules are asked for explicitly.
            specificDiagnosticOptions: SonarRules.Select(r => KeyValuePair.Create(r, ReportDiagnostic.Warn)));
        List<Project> projects;
        string origin;
        int errorsBefore = 0, dropped = 0;
        if (decompiled is not null)
        {
            Console.WriteLine($"decompiled corpus in {decompiled} (decompiling what is not cached yet):");
            projects = DecompiledCorpus.Load(decompiled, FrameworkReferences(), options, Console.Out);
            if (projects.Count == 0)
            {
                Console.Error.WriteLine("no assembly of the decompiled corpus was found in the NuGet cache");
                return 1;
            }

            // Decompiled code does not always compile; binding broken code would measure something else.
            projects = projects.Select(p =>
            {
                Project kept = DecompiledCorpus.WithoutBrokenFiles(p, Compile, Console.Out, out int before, out int files);
                errorsBefore += before;
                dropped += files;
                return kept;
            }).ToList();
            origin = $"decompiled (v{DecompiledCorpus.Version}) {string.Join(", ", projects.Select(p => $"{p.Name} {p.Sources.Count}"))}; {errorsBefore} compiler errors as decompiled, {dropped} files with errors left out";
        }
        else if (directory is null)
        {
            var corpus = new AnalyzerBenchmarkCorpus(Seed);
            projects = [new Project("Benchmark", corpus.Generate(files), References(), options)];
            origin = $"generated (seed {Seed}, v{AnalyzerBenchmarkCorpus.Version}), {corpus.SeededSecrets} files with a hard-coded credential";
        }
        else
        {
            var sources = Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(p => (p, File.ReadAllText(p)))
                .ToList();
            projects = [new Project("Benchmark", sources, References(), options)];
            origin = directory;
        }

        long lines = projects.Sum(p => p.Sources.Sum(s => (long)s.Text.AsSpan().Count('\n')));
        int sourceCount = projects.Sum(p => p.Sources.Count);

        // Compiler errors are fine for a --dir tree (its own references are not known here) but not for
        // the generated corpus, whose whole point is that every call binds to the real SDKs.
        var errors = projects.SelectMany(p => Compile(p).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();
        if (directory is null && decompiled is null && errors.Count > 0)
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
            ("no-op semantic-model action", [new NoOpSemanticModelAnalyzer()]),
            ("no-op operation action on literals", [new NoOpLiteralOperationAnalyzer()]),
            ($"NhiGuard secrets ({Ids(secrets)})", secrets),
            ($"NhiGuard all ({nhiguard.Length} analyzers)", nhiguard),
        };
        if (!sonar.IsEmpty)
        {
            sets.Add(($"Sonar {string.Join("+", SonarRules)}", sonar));
        }

        if (only is not null)
        {
            sets = sets.Where(s => only.Any(o => s.Name.Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();
        }

        Console.WriteLine($"corpus: {origin}: {projects.Count} projects, {sourceCount:N0} files, {lines:N0} lines, {errors.Count} compiler errors; Roslyn {typeof(Compilation).Assembly.GetName().Version}; {Environment.ProcessorCount} cores; best and worst of {runs} runs");
        Console.WriteLine($"sonar: {sonarNote}");

        // Warm-up: the JIT compiles the compiler and every analyzer before anything is timed.
        var all = sets.SelectMany(s => s.Analyzers).Distinct().ToImmutableArray();
        Analyze(projects, all, logTime: false);
        Time(() => projects.Sum(p => Compile(p).GetDiagnostics().Length));

        // Interleaved, so a neighbour's build slows every configuration alike.
        var baseline = new List<double>();
        var timings = sets.Select(_ => new List<double>()).ToArray();
        var findings = new int[sets.Count];
        for (int run = 0; run < runs; run++)
        {
            baseline.Add(Time(() => projects.Sum(p => Compile(p).GetDiagnostics().Length)));
            for (int s = 0; s < sets.Count; s++)
            {
                int index = s;
                timings[s].Add(Time(() => findings[index] = Analyze(projects, sets[index].Analyzers, logTime: false).Diagnostics));
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
        int secretsSet = sets.FindIndex(s => s.Analyzers == secrets), sonarSet = sets.FindIndex(s => s.Analyzers == sonar), floorSet = sets.FindIndex(s => s.Analyzers[0] is NoOpSyntaxTreeAnalyzer);
        if (secretsSet >= 0 && sonarSet >= 0)
        {
            // The same comparison in CPU seconds added, and above the floor any analyzer costs (the driver itself).
            double Added(int set) => timings[set].Min() - compile;
            double Median(int set) => timings[set].Order().ElementAt(timings[set].Count / 2) - baseline.Order().ElementAt(baseline.Count / 2);
            Console.WriteLine($"CPU added, best: NhiGuard secrets {Added(secretsSet):0.00} s, Sonar {Added(sonarSet):0.00} s: secrets/Sonar {Added(secretsSet) / Added(sonarSet):0.00}; "
                + (floorSet < 0 ? "" : $"above the no-op syntax-tree floor ({Added(floorSet):0.00} s): {(Added(secretsSet) - Added(floorSet)) / (Added(sonarSet) - Added(floorSet)):0.00}; ")
                + $"median against median: {Median(secretsSet) / Median(sonarSet):0.00}");
        }

        // Telemetry: everything in one run, as a project with all of them installed would.
        var telemetry = Analyze(projects, all, logTime: true);

        Console.WriteLine();
        Console.WriteLine($"ExecutionTime per analyzer, all {all.Length} in one run, not concurrent ({telemetry.Seconds:0.00} s wall, compile alone {compile:0.00} s CPU):");
        Console.WriteLine($"| {"analyzer",-44} | {"rules",-22} | {"ExecutionTime s",15} | {"% of compile",12} |");
        Console.WriteLine($"|{new string('-', 46)}|{new string('-', 24)}|{new string('-', 17)}|{new string('-', 14)}|");
        foreach ((DiagnosticAnalyzer analyzer, TimeSpan time) in telemetry.ExecutionTimes.OrderByDescending(t => t.Time))
        {
            Console.WriteLine($"| {analyzer.GetType().Name,-44} | {Ids([analyzer]),-22} | {time.TotalSeconds,15:0.000} | {time.TotalSeconds / compile * 100,11:0.0}% |");
        }

        double ours = telemetry.ExecutionTimes.Where(t => secrets.Contains(t.Analyzer)).Sum(t => t.Time.TotalSeconds);
        double theirs = telemetry.ExecutionTimes.Where(t => sonar.Contains(t.Analyzer)).Sum(t => t.Time.TotalSeconds);
        double everything = telemetry.ExecutionTimes.Where(t => nhiguard.Contains(t.Analyzer)).Sum(t => t.Time.TotalSeconds);
        Console.WriteLine($"NhiGuard secrets {ours:0.000} s, NhiGuard all {everything:0.000} s" + (theirs == 0 ? "" : $", Sonar {string.Join("+", SonarRules)} {theirs:0.000} s: secrets/Sonar {ours / theirs:0.00}, all/Sonar {everything / theirs:0.00} (aim: secrets at most 0.50)"));
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

    private static CSharpCompilation Compile(Project project)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = project.Sources.AsParallel().AsOrdered().Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, s.Path)).ToArray();
        return CSharpCompilation.Create(project.Name, trees, project.References, project.Options);
    }

    private sealed record AnalysisRun(double Seconds, int Diagnostics, int Exceptions, List<(DiagnosticAnalyzer Analyzer, TimeSpan Time)> ExecutionTimes);

    /// <summary>Each project in turn, as a build of a solution would; execution times summed over them.</summary>
    private static AnalysisRun Analyze(List<Project> projects, ImmutableArray<DiagnosticAnalyzer> analyzers, bool logTime)
    {
        var clock = Stopwatch.StartNew();
        int exceptions = 0;
        int reported = 0;
        var times = analyzers.ToDictionary(a => a, _ => TimeSpan.Zero);
        foreach (Project project in projects)
        {
            var withAnalyzers = Compile(project).WithAnalyzers(
                analyzers,
                new CompilationWithAnalyzersOptions(
                    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                    onAnalyzerException: (_, _, _) => Interlocked.Increment(ref exceptions),
                    // ExecutionTime is wall time per callback: run concurrently on a busy two-core machine it
                    // counts the time a callback waits for a core, so the telemetry run uses one thread.
                    concurrentAnalysis: !logTime,
                    logAnalyzerExecutionTime: logTime,
                    reportSuppressedDiagnostics: false));
            ImmutableArray<Diagnostic> diagnostics;
            if (logTime)
            {
                // On this Roslyn the execution times live on the analysis result, not on the
                // CompilationWithAnalyzers (whose GetAnalyzerTelemetryInfoAsync reports zero after GetAllDiagnosticsAsync).
                AnalysisResult result = withAnalyzers.GetAnalysisResultAsync(CancellationToken.None).GetAwaiter().GetResult();
                diagnostics = result.GetAllDiagnostics();
                foreach (DiagnosticAnalyzer analyzer in analyzers)
                {
                    times[analyzer] += result.AnalyzerTelemetryInfo.TryGetValue(analyzer, out AnalyzerTelemetryInfo? info) ? info.ExecutionTime : TimeSpan.Zero;
                }
            }
            else
            {
                diagnostics = withAnalyzers.GetAllDiagnosticsAsync().GetAwaiter().GetResult();
            }

            reported += diagnostics.Count(d => d.Id.StartsWith("NHI", StringComparison.Ordinal) || SonarRules.Contains(d.Id) || d.Id == "AD0001");
        }

        return new AnalysisRun(clock.Elapsed.TotalSeconds, reported, exceptions, analyzers.Select(a => (a, times[a])).ToList());
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

    /// <summary>The DLLs of the runtime's reference pack (Microsoft.NETCore.App.Ref).</summary>
    private static ImmutableArray<string> FrameworkReferences() =>
        [.. ReferenceAssemblies.Pack("Microsoft.NETCore.App.Ref") ?? throw new InvalidOperationException("no Microsoft.NETCore.App.Ref reference pack for the running runtime")];

    /// <summary>The runtime's reference pack and the identity SDKs this project references (and their dependencies).</summary>
    private static ImmutableArray<MetadataReference> References()
    {
        ImmutableArray<string> framework = FrameworkReferences();
        Type[] anchors =
        [
            typeof(Microsoft.Identity.Client.ConfidentialClientApplicationBuilder),
            typeof(Azure.Identity.ClientSecretCredential),
            typeof(Azure.Core.TokenCredential),
            typeof(Microsoft.IdentityModel.Tokens.SymmetricSecurityKey),
            typeof(Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler),
            typeof(System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler),
        ];
        return framework.Concat(ReferenceAssemblies.Closure(anchors)).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}

/// <summary>An analyzer that registers one kind of callback and does nothing in it: a floor for the others' cost.</summary>
internal abstract class NoOpAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Rule = new("NOOP", "no-op", "no-op", "Benchmark", DiagnosticSeverity.Warning, true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => [Rule];

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        Register(context);
    }

    protected abstract void Register(AnalysisContext context);
}

/// <summary>The floor of a syntax-only analyzer: one callback per file, doing nothing.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpSyntaxTreeAnalyzer : NoOpAnalyzer
{
    protected override void Register(AnalysisContext context) => context.RegisterSyntaxTreeAction(_ => { });
}

/// <summary>The floor of a syntax-node analyzer on literals: no semantic model, one callback per literal.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpLiteralSyntaxNodeAnalyzer : NoOpAnalyzer
{
    protected override void Register(AnalysisContext context) =>
        context.RegisterSyntaxNodeAction(_ => { }, SyntaxKind.StringLiteralExpression, SyntaxKind.NumericLiteralExpression, SyntaxKind.InterpolatedStringExpression, SyntaxKind.Utf8StringLiteralExpression);
}

/// <summary>The floor of an analyzer that asks for each file's semantic model and does nothing with it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpSemanticModelAnalyzer : NoOpAnalyzer
{
    protected override void Register(AnalysisContext context) => context.RegisterSemanticModelAction(_ => { });
}

/// <summary>The floor of an IOperation analyzer on literals: every method body bound for the analyzers.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class NoOpLiteralOperationAnalyzer : NoOpAnalyzer
{
    protected override void Register(AnalysisContext context) => context.RegisterOperationAction(_ => { }, OperationKind.Literal, OperationKind.InterpolatedString);
}
