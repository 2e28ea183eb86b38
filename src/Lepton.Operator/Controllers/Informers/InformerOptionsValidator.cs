using Microsoft.Extensions.Options;

namespace Lepton.Operator.Controllers.Informers;

/// <summary>Checks the cross-field rules of <see cref="InformerOptions"/> (ranges are data annotations).</summary>
public sealed class InformerOptionsValidator : IValidateOptions<InformerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, InformerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.InitialBackoff > options.MaxBackoff
            ? ValidateOptionsResult.Fail($"Informer options '{name}': InitialBackoff ({options.InitialBackoff}) exceeds MaxBackoff ({options.MaxBackoff}).")
            : ValidateOptionsResult.Success;
    }
}
