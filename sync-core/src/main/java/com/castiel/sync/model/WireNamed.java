package com.castiel.sync.model;

/** An enum constant with a stable lowercase name used in JSON documents and configuration. */
public interface WireNamed {

    /** The name used in JSON documents and configuration. */
    String wire();
}
