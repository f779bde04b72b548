using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit.Sdk;

namespace NhiGuard.Analyzers.Tests.Verification;

/// <summary>The verifier fails when it should: a verifier that cannot fail proves nothing.</summary>
public sealed class VerifierTests
{
    [Fact]
    public void MarkupKeepsSpansAndIds()
    {
        var (source, spans) = Markup.Parse("""a [|b|] {|NHI002:c [|d|]|} e""");

        Assert.Equal("a b c d e", source);
        Assert.Equal(
            new[] { (null, "b"), ("NHI002", "c d"), (null, "d") },
            spans.Select(s => (s.Id, source.Substring(s.Span.Start, s.Span.Length))).ToArray());
    }

    [Fact]
    public void UnclosedMarkupIsAnError() =>
        Assert.Throws<FormatException>(() => Markup.Parse("x [|y"));

    [Fact]
    public void CodeThatLooksLikeMarkupIsLeftAlone()
    {
        var (source, spans) = Markup.Parse("var d = new { a = 1 }; var o = x | y; var s = $\"{|b|}\";");

        Assert.Empty(spans);
        Assert.Equal("var d = new { a = 1 }; var o = x | y; var s = $\"{|b|}\";", source);
    }

    [Fact]
    public Task ReportsAMatchingDiagnostic() => Verify<LiteralLengthAnalyzer>.DiagnosticsAsync(
        """class C { string s = [|"abc"|]; }""",
        "literal of 3 characters");

    [Fact]
    public Task FailsOnAMissingDiagnostic() => FailsWith("diagnostics differ", () =>
        Verify<LiteralLengthAnalyzer>.DiagnosticsAsync("""class C { [|int|] i; string s = [|"abc"|]; }""", "literal of 3 characters"));

    [Fact]
    public Task FailsOnAnUnexpectedDiagnostic() => FailsWith("diagnostics differ", () =>
        Verify<LiteralLengthAnalyzer>.NoDiagnosticsAsync("""class C { string s = "abc"; }"""));

    [Fact]
    public Task FailsOnAWrongSpan() => FailsWith("diagnostics differ", () =>
        Verify<LiteralLengthAnalyzer>.DiagnosticsAsync("""class C { string s = "[|abc|]"; }""", "literal of 3 characters"));

    [Fact]
    public Task FailsOnAWrongMessage() => FailsWith("diagnostics differ", () =>
        Verify<LiteralLengthAnalyzer>.DiagnosticsAsync("""class C { string s = [|"abc"|]; }""", "literal of 4 characters"));

    [Fact]
    public Task FailsOnAWrongId() => FailsWith("diagnostics differ", () =>
        Verify<LiteralLengthAnalyzer>.DiagnosticsAsync("""class C { string s = {|NHI999:"abc"|}; }""", "literal of 3 characters"));

    [Fact]
    public async Task FailsOnCodeThatDoesNotCompile()
    {
        var failure = await Assert.ThrowsAsync<FailException>(() =>
            Verify<LiteralLengthAnalyzer>.NoDiagnosticsAsync("""class C { int s = "abc"; }"""));
        Assert.Contains("CS0029", failure.Message);
    }

    [Fact]
    public async Task FailsWhenAnAnalyzerThrows()
    {
        var failure = await Assert.ThrowsAsync<FailException>(() =>
            Verify<ThrowingAnalyzer>.NoDiagnosticsAsync("""class C { string s = "abc"; }"""));
        Assert.Contains("AD0001", failure.Message);
    }

    [Fact]
    public Task CompilesAgainstTheRealSdksAndTheStubs() => Verify<LiteralLengthAnalyzer>.NoDiagnosticsAsync(
        """
        class C
        {
            object[] All() => new object[]
            {
                typeof(Microsoft.Identity.Client.ConfidentialClientApplicationBuilder),
                typeof(Azure.Identity.ClientSecretCredential),
                typeof(Microsoft.IdentityModel.Tokens.SymmetricSecurityKey),
                typeof(System.IdentityModel.Tokens.Jwt.JwtSecurityTokenHandler),
                typeof(Google.Apis.Auth.OAuth2.GoogleCredential),
                typeof(Amazon.Runtime.BasicAWSCredentials),
                typeof(Microsoft.AspNetCore.Authentication.OAuth.OAuthOptions),
                typeof(Microsoft.Extensions.Configuration.IConfiguration),
                typeof(Microsoft.AspNetCore.Authentication.OpenIdConnect.OpenIdConnectOptions),
                typeof(IdentityModel.Client.ClientCredentialsTokenRequest),
                typeof(Octokit.Credentials),
            };
        }
        """);

    private static async Task FailsWith(string reason, Func<Task> test)
    {
        var failure = await Assert.ThrowsAsync<FailException>(test);
        Assert.Contains(reason, failure.Message);
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class LiteralLengthAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TST001", "t", "literal of {0} characters", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(
                c => c.ReportDiagnostic(Diagnostic.Create(Rule, c.Node.GetLocation(), ((Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax)c.Node).Token.ValueText.Length)),
                SyntaxKind.StringLiteralExpression);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        private static readonly DiagnosticDescriptor Rule = new("TST002", "t", "m", "Test", DiagnosticSeverity.Warning, true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterSyntaxNodeAction(_ => throw new InvalidOperationException("boom"), SyntaxKind.StringLiteralExpression);
        }
    }
}
