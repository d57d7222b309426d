package com.example.pagetables;

import a64emu.mmu.testkit.MmuVectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of every {@code *.vectors} file in {@code src/test/resources/pagetables} becomes
 * one test, run on a64emu's MMU. A case whose page tables do not give what its {@code expect}
 * lines say fails with the difference decoded (PA and attributes, or the fault in words).
 */
class PageTableVectorsTest {
    @TestFactory
    Stream<DynamicTest> pageTables() {
        return MmuVectors.fromClasspath("pagetables");
    }
}
