using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace NhiGuard.Analyzers.Tests.Verification;

/// <summary>
/// A code fix test: the marked diagnostics are reported, the fix with the given equivalence key is
/// applied to each in turn, and the result must equal the expected code, compile, and be clean.
/// </summary>
internal static class CodeFixCase<TAnalyzer, TFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TFix : CodeFixProvider, new()
{
    private const int MaxIterations = 10;

    public static async Task VerifyAsync(string markup, string expected, string equivalenceKey)
    {
        var (source, spans) = Markup.Parse(TestCompilation.Expand(markup));
        Document document = CreateDocument(source);
        var analyzer = new TAnalyzer();
        var fix = new TFix();

        ImmutableArray<Diagnostic> before = await DiagnosticsAsync(document, analyzer);
        Assert.Equal(
            spans.Select(s => s.Span).ToArray(),
            before.Select(d => d.Location.SourceSpan).OrderBy(s => s.Start).ToArray());

        for (int i = 0; i < MaxIterations; i++)
        {
            Diagnostic? next = (await DiagnosticsAsync(document, analyzer))
                .Where(d => fix.FixableDiagnosticIds.Contains(d.Id))
                .OrderBy(d => d.Location.SourceSpan.Start)
                .FirstOrDefault(d => ActionsFor(document, fix, d).Result.Any(a => a.EquivalenceKey == equivalenceKey));
            if (next is null)
            {
                break;
            }

            CodeAction action = (await ActionsFor(document, fix, next)).First(a => a.EquivalenceKey == equivalenceKey);
            foreach (CodeActionOperation operation in await action.GetOperationsAsync(CancellationToken.None))
            {
                if (operation is ApplyChangesOperation apply)
                {
                    document = apply.ChangedSolution.GetDocument(document.Id)!;
                }
            }
        }

        string actual = (await document.GetTextAsync()).ToString();
        Assert.Equal(TestCompilation.Expand(expected).ReplaceLineEndings("\n"), actual.ReplaceLineEndings("\n"));

        Compilation fixedCompilation = (await document.Project.GetCompilationAsync())!;
        TestCompilation.AssertCompiles(fixedCompilation);
        Assert.Empty((await DiagnosticsAsync(document, analyzer)).Where(d => fix.FixableDiagnosticIds.Contains(d.Id)));
    }

    /// <summary>The diagnostic at the marked span is reported, and no fix with this key is offered for it.</summary>
    public static async Task NoFixAsync(string markup, string equivalenceKey)
    {
        var (source, spans) = Markup.Parse(TestCompilation.Expand(markup));
        Document document = CreateDocument(source);
        ImmutableArray<Diagnostic> diagnostics = await DiagnosticsAsync(document, new TAnalyzer());
        Assert.Equal(spans.Select(s => s.Span).ToArray(), diagnostics.Select(d => d.Location.SourceSpan).OrderBy(s => s.Start).ToArray());
        foreach (Diagnostic diagnostic in diagnostics)
        {
            Assert.DoesNotContain(await ActionsFor(document, new TFix(), diagnostic), a => a.EquivalenceKey == equivalenceKey);
        }
    }

    /// <summary>The titles of the fixes offered for the diagnostic at the marked span.</summary>
    public static async Task<string[]> TitlesAsync(string markup)
    {
        var (source, _) = Markup.Parse(TestCompilation.Expand(markup));
        Document document = CreateDocument(source);
        Diagnostic diagnostic = Assert.Single(await DiagnosticsAsync(document, new TAnalyzer()));
        return (await ActionsFor(document, new TFix(), diagnostic)).Select(a => a.Title).ToArray();
    }

    private static Document CreateDocument(string source)
    {
        var workspace = new AdhocWorkspace();
        Project project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Default,
            "TestProject",
            "TestProject",
            LanguageNames.CSharp,
            compilationOptions: TestCompilation.Options,
            parseOptions: TestCompilation.ParseOptions,
            metadataReferences: TestReferences.Get()));
        return workspace.AddDocument(project.Id, "Test0.cs", SourceText.From(source, System.Text.Encoding.UTF8));
    }

    private static async Task<ImmutableArray<Diagnostic>> DiagnosticsAsync(Document document, DiagnosticAnalyzer analyzer)
    {
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        TestCompilation.AssertCompiles(compilation);
        return await TestCompilation.RunAsync(compilation, ImmutableArray.Create(analyzer), new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
    }

    private static async Task<IReadOnlyList<CodeAction>> ActionsFor(Document document, CodeFixProvider fix, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        return actions;
    }
}
