using Lepton.Scheduling.Scoring;
using Microsoft.Extensions.Options;

namespace Lepton.Extender;

/// <summary>Validates what data annotations cannot: the policy name, the score mapping and the state file.</summary>
/// <param name="registry">The policies that can be named.</param>
internal sealed class ExtenderOptionsValidator(ScorerRegistry registry) : IValidateOptions<ExtenderOptions>
{
    public ValidateOptionsResult Validate(string? name, ExtenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Policy) || !registry.Contains(options.Policy))
        {
            failures.Add($"Unknown policy '{options.Policy}'. Known policies: {string.Join(", ", registry.Names)}.");
        }

        if (!Enum.IsDefined(options.ScoreMapping))
        {
            failures.Add($"Unknown score mapping '{options.ScoreMapping}'. Known mappings: {string.Join(", ", Enum.GetNames<ScoreMapping>())}.");
        }

        if (options.ClusterStateFile is { } file && !File.Exists(file))
        {
            failures.Add($"Cluster state file '{file}' does not exist.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
