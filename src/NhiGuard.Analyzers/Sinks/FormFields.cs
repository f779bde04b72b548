using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace NhiGuard.Analyzers.Sinks;

/// <summary>
/// The constant-keyed fields of a form body or parameter collection: <c>new Dictionary&lt;string, string&gt;
/// { ["client_secret"] = "...", { "scope", "..." } }</c>, <c>new KeyValuePair&lt;string, string&gt;("api_key", "...")</c>,
/// <c>KeyValuePair.Create(...)</c>, <c>[new("k", "v")]</c>.
/// </summary>
internal static class FormFields
{
    public static IEnumerable<(string Key, IOperation Value)> In(IOperation value)
    {
        foreach (IOperation operation in value.DescendantsAndSelf())
        {
            (IOperation Key, IOperation Value)? pair = operation switch
            {
                IObjectCreationOperation { Arguments.Length: 2 } creation when creation.Type?.Name == "KeyValuePair" => (creation.Arguments[0].Value, creation.Arguments[1].Value),
                IInvocationOperation { Arguments.Length: 2 } call when call.TargetMethod.Name is "Add" or "Create" or "TryAdd" => (call.Arguments[0].Value, call.Arguments[1].Value),
                ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: 1 } indexer } assignment => (indexer.Arguments[0].Value, assignment.Value),
                _ => null,
            };
            if (pair is { } p && p.Key.ConstantValue.Value is string key)
            {
                yield return (key, p.Value);
            }
        }
    }
}
