package io.hearth.engine.jshell;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a serialized lambda of a snippet class from its serialized form alone: the {@code $deserializeLambda$} of
 * a class that {@link TopLevelCapture} rewrote calls this, because javac's own one checks the signatures the class had
 * before. Runs wherever the lambda is deserialized (executors included), with the snippet class's own lookup, so its
 * private lambda bodies are reachable.
 */
public final class SnippetLambdas {

    private SnippetLambdas() {}

    /** The lambda {@code serialized} describes, with its captured arguments. */
    public static Object deserialize(MethodHandles.Lookup lookup, SerializedLambda serialized) throws Throwable {
        ClassLoader loader = lookup.lookupClass().getClassLoader();
        Class<?> implClass = Class.forName(serialized.getImplClass().replace('/', '.'), false, loader);
        MethodType implType = MethodType.fromMethodDescriptorString(serialized.getImplMethodSignature(), loader);
        String implName = serialized.getImplMethodName();
        int captured = serialized.getCapturedArgCount();
        MethodHandle impl;
        List<Class<?>> capturedTypes = new ArrayList<>();
        switch (serialized.getImplMethodKind()) {
            case MethodHandleInfo.REF_invokeStatic -> {
                impl = lookup.findStatic(implClass, implName, implType);
                capturedTypes.addAll(implType.parameterList().subList(0, captured));
            }
            case MethodHandleInfo.REF_newInvokeSpecial -> {
                impl = lookup.findConstructor(implClass, implType);
                capturedTypes.addAll(implType.parameterList().subList(0, captured));
            }
            case MethodHandleInfo.REF_invokeVirtual, MethodHandleInfo.REF_invokeInterface,
                 MethodHandleInfo.REF_invokeSpecial -> {
                impl = serialized.getImplMethodKind() == MethodHandleInfo.REF_invokeSpecial
                        ? lookup.findSpecial(implClass, implName, implType, lookup.lookupClass())
                        : lookup.findVirtual(implClass, implName, implType);
                if (captured > 0) {
                    capturedTypes.add(implClass);
                    capturedTypes.addAll(implType.parameterList().subList(0, captured - 1));
                }
            }
            default -> throw new IllegalArgumentException("cannot deserialize a lambda of kind "
                    + serialized.getImplMethodKind() + ": " + serialized);
        }
        Class<?> functionalInterface = Class.forName(serialized.getFunctionalInterfaceClass().replace('/', '.'),
                false, loader);
        CallSite site = LambdaMetafactory.altMetafactory(lookup, serialized.getFunctionalInterfaceMethodName(),
                MethodType.methodType(functionalInterface, capturedTypes),
                MethodType.fromMethodDescriptorString(serialized.getFunctionalInterfaceMethodSignature(), loader),
                impl,
                MethodType.fromMethodDescriptorString(serialized.getInstantiatedMethodType(), loader),
                LambdaMetafactory.FLAG_SERIALIZABLE);
        Object[] args = new Object[captured];
        for (int i = 0; i < captured; i++) {
            args[i] = serialized.getCapturedArg(i);
        }
        return site.getTarget().invokeWithArguments(args);
    }
}
