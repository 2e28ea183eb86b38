using System.Net;
using k8s.Autorest;
using Lepton.Operator.Resilience;
using Polly.Timeout;

namespace Lepton.Operator.Tests.Resilience;

public sealed class KubeApiErrorsTests
{
    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(429, true)]
    [InlineData(408, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(409, false)]
    [InlineData(410, false)]
    [InlineData(422, false)]
    public void IsTransient_HttpStatus_OnlyServerErrorsThrottlingAndTimeouts(int status, bool expected)
        => Assert.Equal(expected, KubeApiErrors.IsTransient(ApiError((HttpStatusCode)status)));

    [Fact]
    public void IsTransient_TransportAndTimeoutErrors_AreTransient()
    {
        Assert.True(KubeApiErrors.IsTransient(new HttpRequestException("refused")));
        Assert.True(KubeApiErrors.IsTransient(new IOException("reset")));
        Assert.True(KubeApiErrors.IsTransient(new TimeoutRejectedException()));
        Assert.True(KubeApiErrors.IsTransient(new TaskCanceledException("HttpClient.Timeout")));
        Assert.False(KubeApiErrors.IsTransient(new InvalidOperationException()));
    }

    [Fact]
    public void IsTransient_CallerCancelled_IsNotTransient()
        => Assert.False(KubeApiErrors.IsTransient(new OperationCanceledException(), new CancellationToken(canceled: true)));

    [Fact]
    public void IsConflict_409OrConflictException_True()
    {
        Assert.True(KubeApiErrors.IsConflict(ApiError(HttpStatusCode.Conflict)));
        Assert.True(KubeApiErrors.IsConflict(new ConflictException()));
        Assert.True(KubeApiErrors.IsConflict(new k8s.KubernetesException(new k8s.Models.V1Status { Code = 409 })));
        Assert.False(KubeApiErrors.IsConflict(ApiError(HttpStatusCode.NotFound)));
    }

    [Fact]
    public void RetryAfter_HeaderInSeconds_IsRead()
    {
        var error = ApiError(HttpStatusCode.TooManyRequests, retryAfterSeconds: 7);

        Assert.Equal(TimeSpan.FromSeconds(7), KubeApiErrors.RetryAfter(error));
        Assert.Null(KubeApiErrors.RetryAfter(ApiError(HttpStatusCode.TooManyRequests)));
    }

    internal static HttpOperationException ApiError(HttpStatusCode status, int? retryAfterSeconds = null)
    {
        using var response = new HttpResponseMessage(status);
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
        }

        return new HttpOperationException($"{(int)status}") { Response = new HttpResponseMessageWrapper(response, string.Empty) };
    }
}
