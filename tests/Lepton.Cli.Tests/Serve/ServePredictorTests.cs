using System.CommandLine;
using k8s;
using Lepton.Cli.Commands;
using Lepton.Cli.Serve;
using Lepton.Models;
using Lepton.Scheduling.Prediction;
using Lepton.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lepton.Cli.Tests.Serve;

/// <summary>Issue 14 item 4: <c>lepton serve --predictor PATH|none</c> composes the operator's duration predictor, and a bad bundle never stops it.</summary>
public sealed class ServePredictorTests
{
    [Fact]
    public void LoadPredictor_None_NoPredictorAndNoWarning()
    {
        using var error = new StringWriter();

        var sut = ServeHost.LoadPredictor(ServeSettings.NoPredictor, error);

        Assert.Null(sut);
        Assert.Empty(error.ToString());
    }

    [Fact]
    public void LoadPredictor_MissingFile_OneWarningLineAndNoPredictor()
    {
        using var directory = new TempDirectory();
        using var error = new StringWriter();
        var path = directory.Combine("nowhere.onnx");

        var sut = ServeHost.LoadPredictor(path, error);

        Assert.Null(sut);
        var line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lepton serve: warning: ", line, StringComparison.Ordinal);
        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("runs without run-time predictions", line, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPredictor_BrokenFile_OneWarningLineAndNoPredictor()
    {
        using var directory = new TempDirectory();
        using var error = new StringWriter();
        var path = directory.Combine("broken.onnx");
        File.WriteAllText(path, "not an onnx model");

        var sut = ServeHost.LoadPredictor(path, error);

        Assert.Null(sut);
        Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void LoadPredictor_NoFlag_LoadsTheShippedBundleWithItsVersion()
    {
        using var error = new StringWriter();

        var sut = ServeHost.LoadPredictor(null, error);

        Assert.True(File.Exists(LeptonModelOptions.DefaultPredictorPath), "the bundle ships beside the executable");
        Assert.NotNull(sut);
        Assert.Matches("^predictor@[0-9a-f]{12}$", sut.Version);
        Assert.Empty(error.ToString());
        (sut as IDisposable)?.Dispose();
    }

    [Fact]
    public void Validate_PredictorWithAClusterStateFile_RefusedBecauseNoOperatorRuns()
    {
        var problem = ServeHost.Validate(new ServeSettings { ClusterStateFile = "state.json", PredictorPath = "none" }, out _);

        Assert.Equal("--predictor only apply with --kubeconfig or --in-cluster.", problem);
    }

    [Fact]
    public void Validate_BlankPredictor_Refused()
    {
        var problem = ServeHost.Validate(new ServeSettings { KubeconfigFile = "k", PredictorPath = " " }, out _);

        Assert.Equal("--predictor: give a .onnx bundle or none.", problem);
    }

    [Fact]
    public async Task Parse_PredictorFlag_ReachesTheSettings()
    {
        ServeSettings? settings = null;
        var root = new RootCommand { ServeCommand.Create((s, _) => { settings = s; return Task.FromResult(0); }) };

        Assert.Equal(0, await root.Parse(["serve", "--kubeconfig", "k", "--predictor", "none"]).InvokeAsync());

        Assert.Equal("none", settings!.PredictorPath);
    }

    [Fact]
    public void AddServices_WithAClusterAndAPredictor_RegistersItForTheOperator()
    {
        var services = new ServiceCollection();
        var predictor = new NeverPredicts();

        ServeHost.AddServices(services, new ServeSettings { KubeconfigFile = "k" }, new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }, predictor);

        var sut = Assert.Single(services, d => d.ServiceType == typeof(IDurationPredictor));
        Assert.Same(predictor, sut.ImplementationFactory!(null!));
    }

    private sealed class NeverPredicts : IDurationPredictor
    {
        public string Version => "never@1";

        public bool TryPredict(Lepton.Scheduling.Inventory.PodDemand pod, DateTimeOffset submittedAt, JobHistory history, out DurationPrediction prediction)
        {
            prediction = default;
            return false;
        }
    }
}
