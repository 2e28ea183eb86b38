using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Lepton.Models.Inference;

/// <summary>
/// Polls the policy model file for changes while the host runs (hot reload). The timer looks at the file only once
/// the model was first loaded (the <c>Learned</c> policy is in use): another policy never touches it.
/// </summary>
/// <param name="host">The model host.</param>
/// <param name="options">The options (reload interval).</param>
public sealed class ModelReloadService(ScoringModelHost host, IOptions<LeptonModelOptions> options) : IHostedService, IDisposable
{
    private IDisposable? _timer;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = host.StartPolling(options.Value.ReloadInterval);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => _timer?.Dispose();
}
