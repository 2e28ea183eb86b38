using Microsoft.Extensions.Options;

namespace Lepton.Operator.Rebalancing;

/// <summary>Checks the rules between <see cref="RebalancerOptions"/> fields that data annotations cannot express.</summary>
public sealed class RebalancerOptionsValidator : IValidateOptions<RebalancerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RebalancerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MaxEvictionsPerNode > options.MaxEvictionsPerCycle)
        {
            failures.Add($"Lepton:Rebalancer:MaxEvictionsPerNode ({options.MaxEvictionsPerNode}) must not exceed MaxEvictionsPerCycle ({options.MaxEvictionsPerCycle}).");
        }

        if (options.EvictionAttemptTimeout >= options.Interval)
        {
            failures.Add($"Lepton:Rebalancer:EvictionAttemptTimeout ({options.EvictionAttemptTimeout}) must be shorter than Interval ({options.Interval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
