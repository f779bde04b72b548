using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace NhiGuard.Analyzers.Expiry;

/// <summary>
/// Whether the token handler a <c>SecurityTokenDescriptor</c> is issued with has its default times
/// turned off (<c>SetDefaultTimesOnTokenCreation = false</c>), wherever it is configured (NHI202): where
/// it is created, in the type that holds it, in a factory method, or, for a handler that is injected,
/// anywhere in the compilation. Other types are read from their syntax, since they may not have been
/// analysed yet. One instance per compilation; each answer computed once.
/// </summary>
internal sealed class HandlerDefaultTimes
{
    private const string PropertyName = "SetDefaultTimesOnTokenCreation";
    private const int MaxDepth = 4;

    private readonly Compilation _compilation;
    private readonly IdentityModelTypes _types;
    private readonly ConcurrentDictionary<ISymbol, Configuration> _members = new(SymbolEqualityComparer.Default);
    private TurnedOffAnywhere? _anywhere;

    public HandlerDefaultTimes(Compilation compilation, IdentityModelTypes types)
    {
        _compilation = compilation;
        _types = types;
    }

    private enum Configuration
    {
        /// <summary>Not created in sight: passed in, resolved from a container, or out of the compilation.</summary>
        Injected,
        DefaultsOn,
        DefaultsOff,
    }

    /// <summary>
    /// The handler whose <c>CreateToken</c> (or other method) receives the descriptor created at
    /// <paramref name="creation"/>, directly or through a local of the same member; null when none does there.
    /// </summary>
    public IOperation? IssuingHandler(BaseObjectCreationExpressionSyntax creation, SemanticModel model, CancellationToken cancellationToken)
    {
        SyntaxNode value = creation;
        while (value.Parent is ParenthesizedExpressionSyntax)
        {
            value = value.Parent;
        }

        if (value.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax call } })
        {
            return HandlerOf(model.GetOperation(call, cancellationToken));
        }

        if (value.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local
            || creation.Ancestors().FirstOrDefault(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax) is not { } member)
        {
            return null;
        }

        foreach (InvocationExpressionSyntax invocation in member.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (invocation.ArgumentList.Arguments.Any(a => a.Expression is IdentifierNameSyntax id && id.Identifier.ValueText == local.Name)
                && model.GetOperation(invocation, cancellationToken) is IInvocationOperation operation
                && operation.Arguments.Any(a => a.Value is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
                && HandlerOf(operation) is { } handler)
            {
                return handler;
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="handler"/> issues tokens without default times.</summary>
    public bool TurnsOff(IOperation handler, CancellationToken cancellationToken) =>
        Of(handler, cancellationToken, 0) switch
        {
            Configuration.DefaultsOff => true,
            Configuration.Injected => Anywhere(cancellationToken).Matches(handler.Type),
            _ => false,
        };

    private IOperation? HandlerOf(IOperation? operation) =>
        operation is IInvocationOperation { Instance: { } instance } && IdentityModelTypes.Is(instance.Type, _types.TokenHandler) ? instance : null;

    private Configuration Of(IOperation handler, CancellationToken cancellationToken, int depth)
    {
        IOperation h = handler;
        while (h is IConversionOperation conversion)
        {
            h = conversion.Operand;
        }

        if (depth > MaxDepth)
        {
            return Configuration.Injected;
        }

        switch (h)
        {
            case IObjectCreationOperation creation:
                return SetsOff(creation.Syntax) ? Configuration.DefaultsOff : Configuration.DefaultsOn;
            case IInvocationOperation invocation:
                return OfMethod(invocation.TargetMethod, cancellationToken);
            case ILocalReferenceOperation { Local: var local }:
                return OfLocal(local, h, cancellationToken, depth);
            case IParameterReferenceOperation { Parameter: var parameter }:
                return EnclosingMember(h.Syntax) is { } body && TurnsOffThrough(body, parameter.Name) ? Configuration.DefaultsOff : Configuration.Injected;
            case IFieldReferenceOperation { Field: var field }:
                return _members.GetOrAdd(field, f => OfMember(f, cancellationToken));
            case IPropertyReferenceOperation { Property: var property }:
                return _members.GetOrAdd(property, p => OfMember(p, cancellationToken));
            default:
                return Configuration.Injected;
        }
    }

    // var handler = new JsonWebTokenHandler(); handler.SetDefaultTimesOnTokenCreation = false;
    private Configuration OfLocal(ILocalSymbol local, IOperation reference, CancellationToken cancellationToken, int depth)
    {
        if (EnclosingMember(reference.Syntax) is { } body && TurnsOffThrough(body, local.Name))
        {
            return Configuration.DefaultsOff;
        }

        return local.DeclaringSyntaxReferences.Length == 1
               && local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } initializer }
               && reference.SemanticModel?.SyntaxTree == initializer.SyntaxTree
               && reference.SemanticModel.GetOperation(initializer, cancellationToken) is { } value
            ? Of(value, cancellationToken, depth + 1)
            : Configuration.Injected;
    }

    // A factory method in source: does it turn them off, or create a handler that keeps them?
    private static Configuration OfMethod(IMethodSymbol method, CancellationToken cancellationToken)
    {
        SyntaxNode[] bodies = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).ToArray();
        if (bodies.Any(SetsOff))
        {
            return Configuration.DefaultsOff;
        }

        return bodies.Any(b => b.DescendantNodes().OfType<BaseObjectCreationExpressionSyntax>().Any()) ? Configuration.DefaultsOn : Configuration.Injected;
    }

    // A field or property: its initializer, what its type assigns to it, and "_handler.SetDefaultTimesOnTokenCreation = false" there.
    private static Configuration OfMember(ISymbol member, CancellationToken cancellationToken)
    {
        bool created = false;
        foreach (SyntaxNode declaration in member.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)))
        {
            ExpressionSyntax? initializer = declaration switch
            {
                VariableDeclaratorSyntax variable => variable.Initializer?.Value,
                PropertyDeclarationSyntax property => property.Initializer?.Value ?? property.ExpressionBody?.Expression,
                _ => null,
            };
            if (initializer is BaseObjectCreationExpressionSyntax)
            {
                if (SetsOff(initializer))
                {
                    return Configuration.DefaultsOff;
                }

                created = true;
            }
        }

        if (member.ContainingType is { } type)
        {
            foreach (SyntaxNode part in type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)))
            {
                if (TurnsOffThrough(part, member.Name))
                {
                    return Configuration.DefaultsOff;
                }

                foreach (AssignmentExpressionSyntax assignment in part.DescendantNodes().OfType<AssignmentExpressionSyntax>())
                {
                    if (LastName(assignment.Left) == member.Name && assignment.Right is BaseObjectCreationExpressionSyntax assigned)
                    {
                        if (SetsOff(assigned))
                        {
                            return Configuration.DefaultsOff;
                        }

                        created = true;
                    }
                }
            }
        }

        return created ? Configuration.DefaultsOn : Configuration.Injected;
    }

    private static SyntaxNode? EnclosingMember(SyntaxNode node) =>
        node.Ancestors().FirstOrDefault(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax);

    // "SetDefaultTimesOnTokenCreation = false" anywhere in the node (an object initializer, a method body).
    private static bool SetsOff(SyntaxNode node) =>
        node.DescendantNodesAndSelf().OfType<AssignmentExpressionSyntax>().Any(IsTurnOff);

    // "name.SetDefaultTimesOnTokenCreation = false", "this.name.SetDefaultTimesOnTokenCreation = false".
    private static bool TurnsOffThrough(SyntaxNode body, string name) =>
        body.DescendantNodes().OfType<AssignmentExpressionSyntax>()
            .Any(a => IsTurnOff(a) && a.Left is MemberAccessExpressionSyntax access && LastName(access.Expression) == name);

    private static bool IsTurnOff(AssignmentExpressionSyntax assignment) =>
        assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
        && LastName(assignment.Left) == PropertyName
        && assignment.Right.IsKind(SyntaxKind.FalseLiteralExpression);

    private static string? LastName(ExpressionSyntax? expression) => expression switch
    {
        IdentifierNameSyntax id => id.Identifier.ValueText,
        MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
        _ => null,
    };

    private TurnedOffAnywhere Anywhere(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _anywhere) is { } known)
        {
            return known;
        }

        // Two threads may both compute it the first time; the answers are the same.
        var found = TurnedOffAnywhere.Find(_compilation, cancellationToken);
        Volatile.Write(ref _anywhere, found);
        return found;
    }

    /// <summary>The handler types created with default times off anywhere in the compilation (a container registration, a factory).</summary>
    private sealed class TurnedOffAnywhere
    {
        private readonly ImmutableHashSet<string> _typeNames;
        private readonly bool _untyped;

        private TurnedOffAnywhere(ImmutableHashSet<string> typeNames, bool untyped)
        {
            _typeNames = typeNames;
            _untyped = untyped;
        }

        /// <summary>Whether a handler of static type <paramref name="type"/> may be one of them.</summary>
        public bool Matches(ITypeSymbol? type) =>
            _untyped || (_typeNames.Count > 0 && (type is null || type.IsAbstract || _typeNames.Contains(type.Name)));

        public static TurnedOffAnywhere Find(Compilation compilation, CancellationToken cancellationToken)
        {
            var names = ImmutableHashSet.CreateBuilder<string>();
            bool untyped = false;
            foreach (SyntaxTree tree in compilation.SyntaxTrees)
            {
                // Most files never mention it: a text search before any syntax walk.
                if (tree.GetText(cancellationToken).ToString().IndexOf(PropertyName, System.StringComparison.Ordinal) < 0)
                {
                    continue;
                }

                foreach (AssignmentExpressionSyntax assignment in tree.GetRoot(cancellationToken).DescendantNodes().OfType<AssignmentExpressionSyntax>().Where(IsTurnOff))
                {
                    if (CreatedTypeName(assignment) is { } name)
                    {
                        names.Add(name);
                    }
                    else
                    {
                        untyped = true;
                    }
                }
            }

            return new TurnedOffAnywhere(names.ToImmutable(), untyped);
        }

        // new JsonWebTokenHandler { ... }, or JsonWebTokenHandler h = new() { ... }; null when the syntax does not tell.
        private static string? CreatedTypeName(AssignmentExpressionSyntax assignment)
        {
            switch (assignment.Parent?.Parent)
            {
                case ObjectCreationExpressionSyntax explicitType:
                    return TypeName(explicitType.Type);
                case ImplicitObjectCreationExpressionSyntax implicitType:
                    return implicitType.Parent?.Parent switch
                    {
                        VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax declaration } => TypeName(declaration.Type),
                        PropertyDeclarationSyntax property => TypeName(property.Type),
                        _ => null,
                    };
                default:
                    return null;
            }
        }

        private static string? TypeName(TypeSyntax type) => type switch
        {
            IdentifierNameSyntax id when id.Identifier.ValueText != "var" => id.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            NullableTypeSyntax nullable => TypeName(nullable.ElementType),
            _ => null,
        };
    }
}
