using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>
/// NHI204: a token lifetime or clock skew longer than the project's bound: <c>ClockSkew</c> above
/// 5 minutes, <c>Expires</c> (or <c>expires</c>, <c>TokenLifetimeInMinutes</c>) beyond 24 hours.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ExcessiveLifetimeAnalyzer : DiagnosticAnalyzer
{
    internal const string DiagnosticId = DiagnosticIds.ExcessiveLifetime;

    internal static readonly DiagnosticDescriptor Rule = Descriptors.Create(DiagnosticId, Descriptors.ExpiryCategory);

    private const string MaxClockSkewKey = "nhiguard.max_clock_skew_minutes";
    private const string MaxLifetimeKey = "nhiguard.max_token_lifetime_hours";

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

            start.RegisterSyntaxNodeAction(c => AnalyzeAssignment(c, types), SyntaxKind.SimpleAssignmentExpression);
            start.RegisterSyntaxNodeAction(c => AnalyzeCall(c, types), SyntaxKind.ObjectCreationExpression, SyntaxKind.ImplicitObjectCreationExpression, SyntaxKind.InvocationExpression);
        });
    }

    private static void AnalyzeAssignment(SyntaxNodeAnalysisContext context, IdentityModelTypes types)
    {
        var assignment = (AssignmentExpressionSyntax)context.Node;
        string? name = (assignment.Left as IdentifierNameSyntax ?? (assignment.Left as MemberAccessExpressionSyntax)?.Name as IdentifierNameSyntax)?.Identifier.ValueText;
        if (name is not ("ClockSkew" or "Expires" or "TokenLifetimeInMinutes")
            || context.SemanticModel.GetOperation(assignment, context.CancellationToken) is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } operation)
        {
            return;
        }

        INamedTypeSymbol owner = property.Property.ContainingType;
        switch (name)
        {
            case "ClockSkew" when IdentityModelTypes.Is(owner, types.TokenValidationParameters):
                Check(context, assignment, "Clock skew", ConstantDuration.Of(operation.Value, context.SemanticModel, context.CancellationToken), Bound(context, MaxClockSkewKey, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes));
                break;
            case "Expires" when IdentityModelTypes.Is(owner, types.SecurityTokenDescriptor):
                Check(context, assignment, "Token lifetime", ConstantDuration.FromNow(operation.Value, context.SemanticModel, context.CancellationToken), Bound(context, MaxLifetimeKey, TimeSpan.FromHours(24), TimeSpan.FromHours));
                break;
            case "TokenLifetimeInMinutes" when IdentityModelTypes.Is(owner, types.TokenHandler) && operation.Value.ConstantValue is { HasValue: true, Value: int minutes }:
                Check(context, assignment, "Default token lifetime", TimeSpan.FromMinutes(minutes), Bound(context, MaxLifetimeKey, TimeSpan.FromHours(24), TimeSpan.FromHours));
                break;
        }
    }

    // new JwtSecurityToken(..., expires: DateTime.UtcNow.AddDays(30), ...), handler.CreateJwtSecurityToken(..., expires: ...).
    private static void AnalyzeCall(SyntaxNodeAnalysisContext context, IdentityModelTypes types)
    {
        ArgumentListSyntax? arguments = context.Node switch
        {
            BaseObjectCreationExpressionSyntax creation => creation.ArgumentList,
            InvocationExpressionSyntax invocation when invocation.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CreateJwtSecurityToken" or "CreateEncodedJwt" } => invocation.ArgumentList,
            _ => null,
        };
        // expires is the fifth parameter of each overload: fewer arguments cannot set it, unless named.
        if (arguments is null || (arguments.Arguments.Count < 5 && !arguments.Arguments.Any(a => a.NameColon?.Name.Identifier.ValueText == "expires")))
        {
            return;
        }

        (IMethodSymbol? method, ImmutableArray<IArgumentOperation> values) = context.SemanticModel.GetOperation(context.Node, context.CancellationToken) switch
        {
            IObjectCreationOperation creation => (creation.Constructor, creation.Arguments),
            IInvocationOperation invocation => (invocation.TargetMethod, invocation.Arguments),
            _ => (null, ImmutableArray<IArgumentOperation>.Empty),
        };
        if (method is null || !(IdentityModelTypes.Is(method.ContainingType, types.JwtSecurityToken) || IdentityModelTypes.Is(method.ContainingType, types.JwtSecurityTokenHandler)))
        {
            return;
        }

        foreach (IArgumentOperation argument in values)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter?.Name == "expires")
            {
                Check(context, argument.Syntax, "Token lifetime", ConstantDuration.FromNow(argument.Value, context.SemanticModel, context.CancellationToken), Bound(context, MaxLifetimeKey, TimeSpan.FromHours(24), TimeSpan.FromHours));
            }
        }
    }

    private static void Check(SyntaxNodeAnalysisContext context, SyntaxNode at, string what, TimeSpan? value, TimeSpan bound)
    {
        if (value is { } v && v > bound)
        {
            context.ReportDiagnostic(Diagnostic.Create(Rule, at.GetLocation(), what, ConstantDuration.Describe(v), ConstantDuration.Describe(bound)));
        }
    }

    private static TimeSpan Bound(SyntaxNodeAnalysisContext context, string key, TimeSpan fallback, Func<double, TimeSpan> unit) =>
        context.Options.AnalyzerConfigOptionsProvider.GetOptions(context.Node.SyntaxTree).TryGetValue(key, out string? text)
        && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0
            ? unit(n)
            : fallback;
}
