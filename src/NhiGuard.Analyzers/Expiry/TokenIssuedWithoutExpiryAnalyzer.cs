using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>
/// NHI202: a token issued with no expiry: <c>new JwtSecurityToken(...)</c> without <c>expires</c>,
/// or a <c>SecurityTokenDescriptor</c> without <c>Expires</c> issued with a handler whose default
/// times are off (<c>SetDefaultTimesOnTokenCreation = false</c>), wherever that handler is
/// configured; with default times on, the handlers add a 60-minute expiry themselves and nothing is reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TokenIssuedWithoutExpiryAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.TokenWithoutExpiry;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.ExpiryCategory);

    private const string WithoutExpiresMessage = "SecurityTokenDescriptor without Expires while SetDefaultTimesOnTokenCreation is false";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            if (IdentityModelTypes.Resolve(start.Compilation) is not { } types)
            {
                return;
            }

            var handlers = new HandlerDefaultTimes(start.Compilation, types);
            start.RegisterSymbolStartAction(type => AnalyzeType(type, types, handlers), SymbolKind.NamedType);
        });
    }

    // A descriptor without Expires goes by the handler it is issued with, wherever that handler is
    // configured; one whose handler is not in sight (returned, stored) goes by whether its type turns
    // default times off on any handler.
    private static void AnalyzeType(SymbolStartAnalysisContext context, IdentityModelTypes types, HandlerDefaultTimes handlers)
    {
        var noDefaultTimes = new ConcurrentBag<bool>();
        var descriptors = new ConcurrentBag<Location>();

        context.RegisterSyntaxNodeAction(
            c =>
            {
                var assignment = (AssignmentExpressionSyntax)c.Node;
                if (Name(assignment.Left) == "SetDefaultTimesOnTokenCreation"
                    && c.SemanticModel.GetOperation(assignment, c.CancellationToken) is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property, Value.ConstantValue: { HasValue: true, Value: false } }
                    && IdentityModelTypes.Is(property.Property.ContainingType, types.TokenHandler))
                {
                    noDefaultTimes.Add(true);
                }
            },
            SyntaxKind.SimpleAssignmentExpression);

        context.RegisterSyntaxNodeAction(
            c =>
            {
                var creation = (BaseObjectCreationExpressionSyntax)c.Node;
                string? typeName = creation is ObjectCreationExpressionSyntax named ? Name(named.Type) : null;
                if (typeName is not (null or "JwtSecurityToken" or "SecurityTokenDescriptor")
                    || c.SemanticModel.GetOperation(creation, c.CancellationToken) is not IObjectCreationOperation operation)
                {
                    return;
                }

                if (IdentityModelTypes.Is(operation.Type, types.JwtSecurityToken) && IssuesWithoutExpiry(operation))
                {
                    c.ReportDiagnostic(Diagnostic.Create(Rule, creation.GetLocation(), "new JwtSecurityToken(...) without expires"));
                }
                else if (IdentityModelTypes.Is(operation.Type, types.SecurityTokenDescriptor) && !SetsExpires(creation))
                {
                    if (handlers.IssuingHandler(creation, c.SemanticModel, c.CancellationToken) is not { } handler)
                    {
                        descriptors.Add(creation.GetLocation());
                    }
                    else if (handlers.TurnsOff(handler, c.CancellationToken))
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule, creation.GetLocation(), WithoutExpiresMessage));
                    }
                }
            },
            SyntaxKind.ObjectCreationExpression,
            SyntaxKind.ImplicitObjectCreationExpression);

        context.RegisterSymbolEndAction(end =>
        {
            if (!noDefaultTimes.IsEmpty)
            {
                foreach (Location location in descriptors)
                {
                    end.ReportDiagnostic(Diagnostic.Create(Rule, location, WithoutExpiresMessage));
                }
            }
        });
    }

    // The issuing constructor (issuer, audience, claims, notBefore, expires, signingCredentials) with
    // expires left out or null; the (header, payload) and encoded-string constructors do not issue.
    private static bool IssuesWithoutExpiry(IObjectCreationOperation creation)
    {
        IArgumentOperation? expires = creation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "expires");
        return expires is not null
            && (expires.ArgumentKind == ArgumentKind.DefaultValue || expires.Value.ConstantValue is { HasValue: true, Value: null });
    }

    // Expires in the initializer, or "x.Expires = ..." anywhere in the member that creates it.
    private static bool SetsExpires(BaseObjectCreationExpressionSyntax creation)
    {
        if (creation.Initializer?.Expressions.OfType<AssignmentExpressionSyntax>().Any(a => Name(a.Left) == "Expires") == true)
        {
            return true;
        }

        SyntaxNode? member = creation.Ancestors().FirstOrDefault(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax);
        return member?.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Expires" }) == true;
    }

    private static string? Name(SyntaxNode node) => node switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };
}
