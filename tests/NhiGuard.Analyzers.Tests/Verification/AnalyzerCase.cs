using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace NhiGuard.Analyzers.Tests.Verification;

/// <summary>
/// One analyzer test: sources and additional files with the expected diagnostics marked inline,
/// the messages they must carry (in order of position), and <c>.editorconfig</c> options.
/// </summary>
/// <remarks>
/// Every marked span must be reported with exactly that id, span and message, and nothing else
/// may be reported. Test code must compile; an analyzer that throws fails the test.
/// </remarks>
internal sealed class AnalyzerCase<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>C# files; the first is <c>/src/Test0.cs</c>, the next <c>/src/Test1.cs</c>...</summary>
    public List<string> Sources { get; } = new();

    /// <summary>Additional files by path (<c>/src/appsettings.json</c>), with markup like the sources.</summary>
    public Dictionary<string, string> AdditionalFiles { get; } = new(StringComparer.Ordinal);

    /// <summary>Expected messages in order of position (by file, then offset); one message stands for all.</summary>
    public List<string> Messages { get; } = new();

    /// <summary><c>.editorconfig</c> keys (<c>nhiguard.excluded_rules</c>...).</summary>
    public Dictionary<string, string> Options { get; } = new(StringComparer.Ordinal);

    public async Task RunAsync()
    {
        var analyzer = new TAnalyzer();
        string defaultId = analyzer.SupportedDiagnostics[0].Id;
        var expected = new List<(string Path, string Id, TextSpan Span, string Text)>();
        var sources = new List<(string Path, string Source)>();
        foreach (var (path, markup) in Sources.Select((s, i) => ($"/src/Test{i}.cs", s)).Concat(AdditionalFiles.Select(p => (p.Key, p.Value))))
        {
            var (text, spans) = Markup.Parse(TestCompilation.Expand(markup));
            sources.Add((path, text));
            expected.AddRange(spans.Select(s => (path, s.Id ?? defaultId, s.Span, text.Substring(s.Span.Start, s.Span.Length))));
        }

        var csharp = sources.Take(Sources.Count).ToArray();
        var additional = sources.Skip(Sources.Count).Select(s => (AdditionalText)new TestAdditionalText(s.Path, s.Source)).ToImmutableArray();
        var compilation = TestCompilation.Create(csharp);
        TestCompilation.AssertCompiles(compilation);
        var options = new AnalyzerOptions(additional, new TestConfigOptionsProvider(Options));
        ImmutableArray<Diagnostic> actual = await TestCompilation.RunAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(analyzer), options);

        if (Messages.Count > 1 && Messages.Count != expected.Count)
        {
            Assert.Fail($"{expected.Count} spans are marked but {Messages.Count} messages are given");
        }

        var sourcesByPath = sources.ToDictionary(s => s.Path, s => s.Source);
        string[] expectedLines = expected
            .OrderBy(e => e.Path, StringComparer.Ordinal).ThenBy(e => e.Span.Start).ThenBy(e => e.Span.End)
            .Select((e, i) => Describe(e.Path, e.Id, e.Span, LinePositionOf(sourcesByPath[e.Path], e.Span.Start), sourcesByPath[e.Path], Messages.Count == 0 ? "(no message given)" : Messages[Math.Min(i, Messages.Count - 1)]))
            .ToArray();
        string[] actualLines = actual
            .Select(d => (Path: d.Location.SourceTree?.FilePath ?? d.Location.GetLineSpan().Path, d))
            .OrderBy(x => x.Path, StringComparer.Ordinal).ThenBy(x => x.d.Location.SourceSpan.Start).ThenBy(x => x.d.Location.SourceSpan.End)
            .Select(x => Describe(x.Path, x.d.Id, x.d.Location.SourceSpan, x.d.Location.GetLineSpan().StartLinePosition, sourcesByPath.GetValueOrDefault(x.Path, ""), x.d.GetMessage()))
            .ToArray();
        if (!expectedLines.SequenceEqual(actualLines))
        {
            Assert.Fail($"diagnostics differ\n--- expected\n{string.Join("\n", expectedLines)}\n--- actual\n{string.Join("\n", actualLines)}");
        }
    }

    private static LinePosition LinePositionOf(string source, int offset) =>
        SourceText.From(source).Lines.GetLinePosition(Math.Min(offset, source.Length));

    // "/src/Test0.cs(4,38): NHI001 `"changeme"` Hard-coded credential flows into ..." - a diff reads like
    // the code. The line and column are the ones the diagnostic reports, checked against the span's.
    private static string Describe(string path, string id, TextSpan span, LinePosition start, string source, string message)
    {
        string marked = span.End <= source.Length ? source.Substring(span.Start, span.Length) : "?";
        return $"{path}({start.Line + 1},{start.Character + 1}): {id} `{marked}` {message}";
    }
}

/// <summary>Shorthands for the common case: one C# file.</summary>
internal static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Exactly the marked diagnostics, with these messages (one message stands for all).</summary>
    public static Task DiagnosticsAsync(string source, params string[] messages)
    {
        var test = new AnalyzerCase<TAnalyzer> { Sources = { source } };
        test.Messages.AddRange(messages);
        return test.RunAsync();
    }

    /// <summary>No diagnostic at all.</summary>
    public static Task NoDiagnosticsAsync(string source) => DiagnosticsAsync(source);
}
