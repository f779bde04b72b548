using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using NhiGuard.Scanner.Rules;

namespace NhiGuard.Analyzers.Tests.Verification;

/// <summary>Compiles test code the way a project would: real references, nullable on, errors fatal.</summary>
internal static class TestCompilation
{
    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest, DocumentationMode.Parse);

    public static CSharpCompilationOptions Options { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable,
        allowUnsafe: true);

    /// <summary>
    /// Expands the fixture templates (<c>{{github:ghp}}</c>, <c>{{rand:alnum:40}}</c>) so that no
    /// credential-shaped value is ever written in this repository.
    /// </summary>
    public static string Expand(string text) => ExampleTemplate.ExpandOnce(text);

    public static CSharpCompilation Create(IEnumerable<(string Path, string Source)> sources) =>
        CSharpCompilation.Create(
            "TestProject",
            sources.Select(s => CSharpSyntaxTree.ParseText(SourceText.From(s.Source, System.Text.Encoding.UTF8), ParseOptions, s.Path)),
            TestReferences.Get(),
            Options);

    /// <summary>Fails on any compiler error: a test whose code does not compile proves nothing.</summary>
    public static void AssertCompiles(Compilation compilation)
    {
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            Assert.Fail("test code does not compile:\n" + string.Join("\n", errors.Select(e => e.ToString())));
        }
    }

    /// <summary>Runs analyzers over a compilation; fails on any analyzer exception (AD0001).</summary>
    public static async Task<ImmutableArray<Diagnostic>> RunAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, AnalyzerOptions options)
    {
        var exceptions = new List<string>();
        var withAnalyzers = compilation.WithAnalyzers(
            analyzers,
            new CompilationWithAnalyzersOptions(
                options,
                onAnalyzerException: (e, analyzer, _) => { lock (exceptions) { exceptions.Add($"{analyzer.GetType().Name}: {e}"); } },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false));
        ImmutableArray<Diagnostic> diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var failures = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()).Concat(exceptions).ToArray();
        if (failures.Length > 0)
        {
            Assert.Fail("an analyzer threw (AD0001):\n" + string.Join("\n", failures));
        }

        return diagnostics;
    }
}

/// <summary>An additional file (appsettings.json, .env...) as the compiler receives it.</summary>
internal sealed class TestAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text, System.Text.Encoding.UTF8);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary><c>.editorconfig</c> keys, the same for every file.</summary>
internal sealed class TestConfigOptionsProvider(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptionsProvider
{
    private readonly Options _options = new(values);

    public override AnalyzerConfigOptions GlobalOptions => _options;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);

        public override IEnumerable<string> Keys => values.Keys;
    }
}
