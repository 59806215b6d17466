namespace PneumoniaPortal.Web.Security;

/// <summary>What <see cref="RateLimits"/> counts.</summary>
public enum LimitedAction { SignInFailure, Registration, JoinClass, StartRun, Predict, ResetEmail }
