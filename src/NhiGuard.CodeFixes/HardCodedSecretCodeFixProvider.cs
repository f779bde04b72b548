using System;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using NhiGuard.Analyzers;

namespace NhiGuard.CodeFixes;

/// <summary>
/// NHI001/NHI003: replaces a hard-coded credential with an environment variable or, where an
/// <c>IConfiguration</c> is in scope, a configuration lookup; both fail loudly when the value is missing.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(HardCodedSecretCodeFixProvider))]
[Shared]
public sealed class HardCodedSecretCodeFixProvider : CodeFixProvider
{
    public const string EnvironmentEquivalenceKey = "NhiGuard.ReadFromEnvironment";
    public const string ConfigurationEquivalenceKey = "NhiGuard.ReadFromConfiguration";

    private const string ConfigurationInterface = "Microsoft.Extensions.Configuration.IConfiguration";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticIds.HardCodedCredential, DiagnosticIds.HardCodedSigningKey);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(DiagnosticIds.ReplaceableProperty, out string? replaceable) || replaceable != "true"
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not { } node)
            {
                continue;
            }

            ExpressionSyntax? value = node as ExpressionSyntax ?? (node as ArgumentSyntax)?.Expression;
            if (value is null)
            {
                continue;
            }

            string setting = diagnostic.Properties.TryGetValue(DiagnosticIds.SettingNameProperty, out string? name) && !string.IsNullOrEmpty(name) ? name! : "Secret";
            string variable = EnvironmentVariableName(setting);
            context.RegisterCodeFix(
                CodeAction.Create(
                    string.Format(CodeFixResources.ReadFromEnvironmentTitle, variable),
                    ct => ReplaceAsync(context.Document, value, names => EnvironmentLookup(names, variable), ct),
                    EnvironmentEquivalenceKey),
                diagnostic);

            if (ConfigurationInScope(model, value, context.CancellationToken) is { } configuration)
            {
                context.RegisterCodeFix(
                    CodeAction.Create(
                        string.Format(CodeFixResources.ReadFromConfigurationTitle, setting),
                        ct => ReplaceAsync(context.Document, value, names => ConfigurationLookup(names, configuration, setting), ct),
                        ConfigurationEquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>ClientSecret becomes CLIENT_SECRET, JwtSigningKey JWT_SIGNING_KEY.</summary>
    internal static string EnvironmentVariableName(string setting)
    {
        var name = new StringBuilder(setting.Length + 4);
        for (int i = 0; i < setting.Length; i++)
        {
            char c = setting[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(setting[i - 1]) || (i + 1 < setting.Length && char.IsLower(setting[i + 1]) && char.IsUpper(setting[i - 1]))))
            {
                name.Append('_');
            }

            name.Append(char.IsLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
        }

        return name.ToString();
    }

    private static ExpressionSyntax EnvironmentLookup(Func<string, string> names, string variable) =>
        SyntaxFactory.ParseExpression(
            $"{names("System.Environment")}.GetEnvironmentVariable({Literal(variable)}) ?? throw new {names("System.InvalidOperationException")}({Literal(string.Format(CodeFixResources.MissingEnvironmentVariable, variable))})");

    private static ExpressionSyntax ConfigurationLookup(Func<string, string> names, string configuration, string setting) =>
        SyntaxFactory.ParseExpression(
            $"{configuration}[{Literal(setting)}] ?? throw new {names("System.InvalidOperationException")}({Literal(string.Format(CodeFixResources.MissingConfigurationValue, setting))})");

    // The shortest name that means the type at this position: "Environment" where System is
    // imported (also by global usings), else "System.Environment", else "global::System.Environment".
    private static string ShortestName(SemanticModel model, int position, string fullName)
    {
        int dot = fullName.LastIndexOf('.');
        string simple = fullName.Substring(dot + 1);
        string @namespace = fullName.Substring(0, dot);
        if (model.LookupNamespacesAndTypes(position, name: simple) is { Length: 1 } types && types[0].ToDisplayString() == fullName)
        {
            return simple;
        }

        string root = @namespace.Split('.')[0];
        return model.LookupNamespacesAndTypes(position, name: root) is { Length: 1 } roots && roots[0] is INamespaceSymbol { ContainingNamespace.IsGlobalNamespace: true }
            ? fullName
            : "global::" + fullName;
    }

    private static string Literal(string text) => SyntaxFactory.Literal(text).ToFullString();

    // A parameter, local, field or property of type IConfiguration usable where the value is: not
    // in a field initializer, and only static members in a static context.
    private static string? ConfigurationInScope(SemanticModel model, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        INamedTypeSymbol? configuration = model.Compilation.GetTypeByMetadataName(ConfigurationInterface);
        if (configuration is null || value.FirstAncestorOrSelf<FieldDeclarationSyntax>() is not null || value.FirstAncestorOrSelf<LocalDeclarationStatementSyntax>() is { IsConst: true })
        {
            return null;
        }

        bool isStatic = model.GetEnclosingSymbol(value.SpanStart, cancellationToken) is { IsStatic: true };
        ISymbol? best = model.LookupSymbols(value.SpanStart)
            .Where(s => IsConfiguration(TypeOf(s), configuration))
            .Where(s => s switch
            {
                ILocalSymbol local => local.DeclaringSyntaxReferences.All(r => r.Span.End <= value.SpanStart),
                IParameterSymbol => true,
                IFieldSymbol or IPropertySymbol => s.IsStatic || !isStatic,
                _ => false,
            })
            .OrderBy(s => s is ILocalSymbol or IParameterSymbol ? 0 : 1)
            .FirstOrDefault();
        return best?.Name;
    }

    private static ITypeSymbol? TypeOf(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IFieldSymbol field => field.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool IsConfiguration(ITypeSymbol? type, INamedTypeSymbol configuration) =>
        type is not null && (SymbolEqualityComparer.Default.Equals(type, configuration) || type.AllInterfaces.Contains(configuration, SymbolEqualityComparer.Default));

    private static async Task<Document> ReplaceAsync(Document document, ExpressionSyntax value, Func<Func<string, string>, ExpressionSyntax> createLookup, CancellationToken cancellationToken)
    {
        DocumentEditor editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        Func<string, string> names = fullName => ShortestName(editor.SemanticModel, value.SpanStart, fullName);
        ExpressionSyntax lookup = createLookup(names);
        ExpressionSyntax target = value;
        ExpressionSyntax replacement = lookup;

        // The replacement must have the type the value had: a UTF-8 literal or a byte array holds bytes.
        if (value.IsKind(SyntaxKind.Utf8StringLiteralExpression))
        {
            replacement = Invoke(names("System.Text.Encoding") + ".UTF8.GetBytes", lookup);
            if (value.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToArray" } toArray && toArray.Parent is InvocationExpressionSyntax call)
            {
                target = call;
            }
        }
        else if (editor.SemanticModel.GetTypeInfo(value, cancellationToken).Type is IArrayTypeSymbol)
        {
            replacement = Invoke(names("System.Convert") + ".FromBase64String", lookup);
        }

        editor.ReplaceNode(target, replacement.WithTriviaFrom(target).WithAdditionalAnnotations(Formatter.Annotation));

        // A constant cannot hold a lookup: the field becomes static readonly, the local a plain one.
        if (target.FirstAncestorOrSelf<VariableDeclaratorSyntax>()?.Parent?.Parent is { } declaration)
        {
            switch (declaration)
            {
                case FieldDeclarationSyntax field when field.Modifiers.Any(SyntaxKind.ConstKeyword):
                    editor.ReplaceNode(field, (current, _) => WithoutConst((FieldDeclarationSyntax)current));
                    break;
                case LocalDeclarationStatementSyntax local when local.IsConst:
                    editor.ReplaceNode(local, (current, _) => WithoutConst((LocalDeclarationStatementSyntax)current));
                    break;
            }
        }

        return await Formatter.FormatAsync(editor.GetChangedDocument(), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static ExpressionSyntax Invoke(string method, ExpressionSyntax argument) =>
        SyntaxFactory.InvocationExpression(
            SyntaxFactory.ParseExpression(method),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(argument))));

    private static SyntaxNode WithoutConst(FieldDeclarationSyntax field)
    {
        SyntaxToken constKeyword = field.Modifiers.First(m => m.IsKind(SyntaxKind.ConstKeyword));
        SyntaxTokenList modifiers = field.Modifiers.Replace(
            constKeyword,
            SyntaxFactory.Token(SyntaxKind.StaticKeyword).WithLeadingTrivia(constKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space));
        int at = modifiers.IndexOf(SyntaxKind.StaticKeyword);
        return field.WithModifiers(modifiers.Insert(at + 1, SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword).WithTrailingTrivia(constKeyword.TrailingTrivia)));
    }

    private static SyntaxNode WithoutConst(LocalDeclarationStatementSyntax local)
    {
        SyntaxToken constKeyword = local.Modifiers.First(m => m.IsKind(SyntaxKind.ConstKeyword));
        return local.WithModifiers(local.Modifiers.Remove(constKeyword)).WithLeadingTrivia(local.GetLeadingTrivia());
    }
}
