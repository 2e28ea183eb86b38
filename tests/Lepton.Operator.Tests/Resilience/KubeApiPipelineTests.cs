using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lepton.Operator.Resilience;
using Lepton.Operator.Tests.Testing;
using Lepton.Testing;

namespace Lepton.Operator.Tests.Resilience;

public sealed class KubeApiPipelineTests
{
    private readonly TestClock _clock = new();

    [Fact]
    public async Task ExecuteAsync_TwoServerErrors_RetriesWithGrowingJitteredDelaysThenSucceeds()
    {
        var sut = Pipeline();
        var calls = 0;

        var run = sut.ExecuteAsync(
            _ => ++calls <= 2 ? throw KubeApiErrorsTests.ApiError(HttpStatusCode.InternalServerError) : ValueTask.FromResult("ok"),
            Timeouts.Token()).AsTask();
        var first = await _clock.WaitForTimerAsync(left => left > TimeSpan.Zero && left < TimeSpan.FromSeconds(5), Timeouts.Token());
        _clock.Advance(first);
        var second = await _clock.WaitForTimerAsync(left => left > TimeSpan.Zero && left < TimeSpan.FromSeconds(5), Timeouts.Token());
        _clock.Advance(second);

        Assert.Equal("ok", await run);
        Assert.Equal(3, calls);
        Assert.True(first <= TimeSpan.FromSeconds(10) && second <= TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ExecuteAsync_Conflict_ThrowsConflictExceptionWithoutRetrying()
    {
        var sut = Pipeline();
        var calls = 0;

        var error = await Assert.ThrowsAsync<ConflictException>(async () => await sut.ExecuteAsync<string>(
            _ =>
            {
                calls++;
                throw KubeApiErrorsTests.ApiError(HttpStatusCode.Conflict);
            },
            Timeouts.Token()));

        Assert.Equal(1, calls);
        Assert.IsType<HttpOperationException>(error.InnerException);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.UnprocessableEntity)]
    public async Task ExecuteAsync_ClientError_ThrowsItWithoutRetrying(HttpStatusCode status)
    {
        var sut = Pipeline();
        var calls = 0;

        var error = await Assert.ThrowsAsync<HttpOperationException>(async () => await sut.ExecuteAsync(
            _ =>
            {
                calls++;
                throw KubeApiErrorsTests.ApiError(status);
            },
            Timeouts.Token()));

        Assert.Equal(1, calls);
        Assert.Equal(status, error.Response.StatusCode);
    }

    [Fact]
    public async Task ExecuteAsync_TooManyRequestsWithRetryAfter_WaitsWhatTheServerAsks()
    {
        var sut = Pipeline();
        var calls = 0;

        var run = sut.ExecuteAsync(
            _ => ++calls == 1 ? throw KubeApiErrorsTests.ApiError(HttpStatusCode.TooManyRequests, retryAfterSeconds: 3) : ValueTask.FromResult(1),
            Timeouts.Token()).AsTask();
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(3), Timeouts.Token());

        Assert.Equal(1, await run);
    }

    [Fact]
    public async Task ExecuteAsync_AttemptHangs_TimesOutAndRetries()
    {
        var sut = Pipeline();
        var calls = 0;

        var run = sut.ExecuteAsync(
            async ct =>
            {
                if (++calls == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, _clock, ct);
                }

                return "second";
            },
            Timeouts.Token()).AsTask();
        await _clock.AdvanceWhenArmedAsync(TimeSpan.FromSeconds(10), Timeouts.Token());
        await _clock.AdvanceUntilAsync(run, TimeSpan.FromSeconds(10), Timeouts.Token());

        Assert.Equal("second", await run);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task ExecuteAsync_StillFailingAfterAllRetries_ThrowsTheLastError()
    {
        var sut = Pipeline(maxRetries: 2);
        var calls = 0;

        var run = sut.ExecuteAsync<int>(
            _ =>
            {
                calls++;
                throw new HttpRequestException("refused");
            },
            Timeouts.Token()).AsTask();
        await _clock.AdvanceUntilAsync(run.ContinueWith(_ => { }, TaskScheduler.Default), TimeSpan.FromSeconds(10), Timeouts.Token());

        await Assert.ThrowsAsync<HttpRequestException>(() => run);
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task ExecuteAsync_CallerCancels_StopsWithoutRetrying()
    {
        var sut = Pipeline();
        using var cts = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await sut.ExecuteAsync<int>(
            ct =>
            {
                calls++;
                cts.Cancel();
                ct.ThrowIfCancellationRequested();
                return ValueTask.FromResult(1);
            },
            cts.Token));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ExecuteAsync_ApiServerFailsCreateTwice_CreatesOnTheThirdAttempt()
    {
        await using var kube = await TestKube.StartAsync();
        kube.Server.Faults.FailNext(2, verb: "create", resource: "configmaps", statusCode: 503);
        var sut = new KubeApiPipeline(new KubeApiResilienceOptions { BaseDelay = TimeSpan.Zero, Randomizer = () => 0.5 }, _clock);

        var created = await sut.ExecuteAsync(
            ct => new ValueTask<V1ConfigMap>(kube.Client.CoreV1.CreateNamespacedConfigMapAsync(Make.ConfigMap("a", rv: null!), "default", cancellationToken: ct)),
            Timeouts.Token());

        Assert.Equal("a", created.Metadata.Name);
        Assert.Equal([503, 503, 201], kube.Server.Requests.Entries.Where(r => r.Verb == "create").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task ExecuteAsync_ApiServerAnswers409_SurfacesConflictException()
    {
        await using var kube = await TestKube.StartAsync();
        kube.Server.Create(Make.ConfigMapJson("a"));
        var sut = new KubeApiPipeline(new KubeApiResilienceOptions(), _clock);

        await Assert.ThrowsAsync<ConflictException>(async () => await sut.ExecuteAsync(
            ct => new ValueTask<V1ConfigMap>(kube.Client.CoreV1.CreateNamespacedConfigMapAsync(Make.ConfigMap("a", rv: null!), "default", cancellationToken: ct)),
            Timeouts.Token()));
        Assert.Single(kube.Server.Requests.Entries, r => r.Verb == "create");
    }

    private KubeApiPipeline Pipeline(int maxRetries = 4) => new(
        new KubeApiResilienceOptions { MaxRetryAttempts = maxRetries, Randomizer = () => 0.5 },
        _clock);
}
