package io.earshot.analysis.windows;

/** Whose calls a window adds up: one agent's, a team's or a queue's. */
public enum Scope { AGENT, TEAM, QUEUE }
