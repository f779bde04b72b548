using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>
/// NHI203: token lifetime validation is turned off: <c>ValidateLifetime = false</c>,
/// <c>RequireExpirationTime = false</c>, or a <c>LifetimeValidator</c> that always returns true.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LifetimeValidationDisabledAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.LifetimeValidationDisabled;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.ExpiryCategory);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(start =>
        {
            if (IdentityModelTypes.Resolve(start.Compilation) is not { TokenValidationParameters: { } parameters })
            {
                return;
            }

            start.RegisterSyntaxNodeAction(c => Analyze(c, parameters), SyntaxKind.SimpleAssignmentExpression);
        });
    }

    private static void Analyze(SyntaxNodeAnalysisContext context, INamedTypeSymbol parameters)
    {
        var assignment = (AssignmentExpressionSyntax)context.Node;
        string? name = (assignment.Left as IdentifierNameSyntax ?? (assignment.Left as MemberAccessExpressionSyntax)?.Name as IdentifierNameSyntax)?.Identifier.ValueText;
        if (name is not ("ValidateLifetime" or "RequireExpirationTime" or "LifetimeValidator"))
        {
            return;
        }

        if (context.SemanticModel.GetOperation(assignment, context.CancellationToken) is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } operation
            || !IdentityModelTypes.Is(property.Property.ContainingType, parameters))
        {
            return;
        }

        string? setting = name switch
        {
            "LifetimeValidator" => AlwaysTrue(operation.Value) ? "LifetimeValidator always returns true" : null,
            _ => operation.Value.ConstantValue is { HasValue: true, Value: false } ? name + " = false" : null,
        };
        if (setting is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, assignment.GetLocation(), setting));
        }
    }

    // (notBefore, expires, token, parameters) => true, or a block whose every return is true.
    private static bool AlwaysTrue(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        if (value is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation function })
        {
            return false;
        }

        IReturnOperation[] returns = function.Body.Descendants().OfType<IReturnOperation>()
            .Where(r => r.ReturnedValue is not null)
            .ToArray();
        return returns.Length > 0 && returns.All(r => r.ReturnedValue!.ConstantValue is { HasValue: true, Value: true });
    }
}
