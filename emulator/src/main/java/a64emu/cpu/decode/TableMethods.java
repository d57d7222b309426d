package a64emu.cpu.decode;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Which static method each encoding of a group's table refers to, read from the group
 * class's bytecode: its static initializer calls {@code Encoding.of("NAME", "PATTERN",
 * Owner::method)}, which compiles to two string constants and an {@code invokedynamic}
 * whose bootstrap arguments hold the method handle of {@code Owner::method}.
 *
 * <p>Read from the class file, not from the lambda objects (whose target only a serializable
 * lambda would reveal), so that the tables' lambdas stay ordinary ones that the class-data
 * sharing archive holds, and nothing of this runs before the JIT first needs it.
 */
final class TableMethods {
    private TableMethods() {}

    private static final Map<Class<?>, Map<String, Encoding.Implementation>> BY_GROUP = new HashMap<>();

    /** The implementation of the encoding named {@code name} in {@code group}'s table, or null. */
    static synchronized Encoding.Implementation of(Class<?> group, String name) {
        return BY_GROUP.computeIfAbsent(group, TableMethods::scan).get(name);
    }

    private static Map<String, Encoding.Implementation> scan(Class<?> group) {
        Map<String, Encoding.Implementation> found = new HashMap<>();
        String resource = group.getName().replace('.', '/') + ".class";
        try (InputStream in = group.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return found;
            }
            new ClassReader(in).accept(new ClassVisitor(Opcodes.ASM9) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                                 String[] exceptions) {
                    if (!name.equals("<clinit>")) {
                        return null;
                    }
                    return new MethodVisitor(Opcodes.ASM9) {
                        private final List<String> strings = new ArrayList<>();

                        @Override
                        public void visitLdcInsn(Object value) {
                            if (value instanceof String s) {
                                strings.add(s);
                            }
                        }

                        @Override
                        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm,
                                                           Object... args) {
                            if (name.equals("execute") && args.length >= 2 && args[1] instanceof Handle target
                                    && target.getTag() == Opcodes.H_INVOKESTATIC
                                    && target.getDesc().equals("(La64emu/cpu/Cpu;I)V") && strings.size() >= 2) {
                                String encoding = strings.get(strings.size() - 2);
                                found.putIfAbsent(encoding, new Encoding.Implementation(target.getOwner(),
                                        target.getName()));
                            }
                            strings.clear();
                        }
                    };
                }
            }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (IOException e) {
            // No class file to read: no implementation is known, and the JIT calls the object.
        }
        return found;
    }
}
